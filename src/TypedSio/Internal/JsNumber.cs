using System.Globalization;
using System.Text;

namespace TypedSio.Internal;

/// <summary>
/// The parts of JavaScript's string-to-number semantics (<c>Number(s)</c> and <c>s == Number(s)</c>) that the official
/// parsers lean on when they read attachment counts, ack ids and v3 length prefixes. Reproducing them exactly is what
/// lets our decoders accept and reject the same inputs as the reference.
/// </summary>
internal static class JsNumber
{
    /// <summary>Whether a code point is JavaScript white space or a line terminator (what <c>Number()</c> trims).</summary>
    public static bool IsWhiteSpace(int codePoint) => codePoint switch
    {
        0x09 or 0x0A or 0x0B or 0x0C or 0x0D or 0x20 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F
            or 0x3000 or 0xFEFF => true,
        >= 0x2000 and <= 0x200A => true,
        _ => false,
    };

    /// <summary>
    /// Whether a single character <c>c</c> satisfies <c>Number(c) == c</c>: true for ASCII digits and for white space
    /// (which converts to 0).
    /// </summary>
    public static bool IsDigitLike(int codePoint) => codePoint is >= '0' and <= '9' || IsWhiteSpace(codePoint);

    /// <summary>JavaScript <c>Number(text)</c>: NaN when the text is not a StringNumericLiteral.</summary>
    public static double Parse(string text)
    {
        var span = Trim(text.AsSpan());
        if (span.IsEmpty)
        {
            return 0;
        }

        if (span.Length > 2 && span[0] == '0')
        {
            var radix = span[1] switch
            {
                'x' or 'X' => 16,
                'o' or 'O' => 8,
                'b' or 'B' => 2,
                _ => 0,
            };
            if (radix != 0)
            {
                return ParseRadix(span[2..], radix);
            }
        }

        var unsigned = span[0] is '+' or '-' ? span[1..] : span;
        if (unsigned.SequenceEqual("Infinity"))
        {
            return span[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }

        return IsDecimalLiteral(unsigned)
            ? double.Parse(span, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture)
            : double.NaN;
    }

    /// <summary>Parses the UTF-8 text as <see cref="Parse(string)"/> would.</summary>
    public static double Parse(ReadOnlySpan<byte> utf8) => Parse(Encoding.UTF8.GetString(utf8));

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> span)
    {
        var start = 0;
        while (start < span.Length && IsWhiteSpace(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && IsWhiteSpace(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    private static double ParseRadix(ReadOnlySpan<char> digits, int radix)
    {
        double value = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return double.NaN;
            }

            value = (value * radix) + digit;
        }

        return value;
    }

    // StrUnsignedDecimalLiteral: digits [. digits] [e[+-]digits], or . digits [exponent]; at least one digit before the exponent.
    private static bool IsDecimalLiteral(ReadOnlySpan<char> s)
    {
        var i = 0;
        var mantissaDigits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            mantissaDigits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                mantissaDigits++;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }
}
