using System.Buffers;
using System.Globalization;
using System.Text;

namespace TypedSio.Json;

/// <summary>
/// Writes JSON strings and numbers exactly as JavaScript's <c>JSON.stringify</c> does, so a packet encoded here is
/// byte-for-byte the packet the official encoder would produce for the same values.
/// </summary>
internal static class JsJsonFormatter
{
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(BuildEscapeSet());

    /// <summary>Writes a quoted string: <c>"</c>, <c>\</c> and control characters escaped, lone surrogates as <c>\udxxx</c>, everything else as UTF-8.</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<char> value)
    {
        WriteByte(output, (byte)'"');
        while (!value.IsEmpty)
        {
            var run = value.IndexOfAny(NeedsEscape);
            if (run < 0)
            {
                run = value.Length;
            }

            if (run > 0)
            {
                WriteUtf8(output, value[..run]);
                value = value[run..];
                continue;
            }

            var c = value[0];
            if (char.IsHighSurrogate(c) && value.Length > 1 && char.IsLowSurrogate(value[1]))
            {
                WriteUtf8(output, value[..2]);
                value = value[2..];
                continue;
            }

            WriteEscape(output, c);
            value = value[1..];
        }

        WriteByte(output, (byte)'"');
    }

    /// <summary>Writes a number as <c>Number.prototype.toString</c> does; NaN and infinities become <c>null</c>, as in JSON.stringify.</summary>
    public static void WriteNumber(IBufferWriter<byte> output, double value)
    {
        if (!double.IsFinite(value))
        {
            output.Write("null"u8);
            return;
        }

        WriteAscii(output, FormatNumber(value.ToString("R", CultureInfo.InvariantCulture)));
    }

    /// <summary>Writes a single-precision number using its own shortest form, so 0.1f is written 0.1.</summary>
    public static void WriteNumber(IBufferWriter<byte> output, float value)
    {
        if (!float.IsFinite(value))
        {
            output.Write("null"u8);
            return;
        }

        WriteAscii(output, FormatNumber(value.ToString("R", CultureInfo.InvariantCulture)));
    }

    /// <summary>Writes an integer.</summary>
    public static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>Writes an unsigned integer.</summary>
    public static void WriteNumber(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    // .NET's round-trip format gives the shortest digits; ECMAScript's Number::toString decides where the point goes.
    internal static string FormatNumber(string roundTrip)
    {
        var negative = roundTrip.StartsWith('-');
        var text = negative ? roundTrip[1..] : roundTrip;
        var exponentAt = text.IndexOfAny(['E', 'e']);
        var exponent = exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var integerDigits = point < 0 ? mantissa.Length : point;

        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        // value = 0.d1d2...dk × 10^n, as in the specification.
        var n = integerDigits - leadingZeros + exponent;
        var k = digits.Length;
        var sign = negative ? "-" : string.Empty;
        if (k <= n && n <= 21)
        {
            return sign + digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return sign + digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return sign + "0." + new string('0', -n) + digits;
        }

        var e = n - 1;
        var exponentText = (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        return k == 1 ? sign + digits + "e" + exponentText : sign + digits[0] + "." + digits[1..] + "e" + exponentText;
    }

    private static void WriteEscape(IBufferWriter<byte> output, char c)
    {
        ReadOnlySpan<byte> escape = c switch
        {
            '"' => "\\\""u8,
            '\\' => "\\\\"u8,
            '\b' => "\\b"u8,
            '\f' => "\\f"u8,
            '\n' => "\\n"u8,
            '\r' => "\\r"u8,
            '\t' => "\\t"u8,
            _ => default,
        };
        if (!escape.IsEmpty)
        {
            output.Write(escape);
            return;
        }

        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        ((int)c).TryFormat(span[2..], out _, "x4", CultureInfo.InvariantCulture);
        output.Advance(6);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        output.Advance(Encoding.ASCII.GetBytes(text, span));
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static char[] BuildEscapeSet()
    {
        var set = new List<char> { '"', '\\' };
        for (var c = 0; c < 0x20; c++)
        {
            set.Add((char)c);
        }

        for (var c = 0xD800; c <= 0xDFFF; c++)
        {
            set.Add((char)c);
        }

        return set.ToArray();
    }
}
