using System.Buffers;

namespace TypedSio.Internal;

/// <summary>
/// Decodes base64 the way Node.js <c>Buffer.from(s, "base64")</c> does, which is what the reference server applies to
/// <c>b</c>-prefixed packets: both the standard and the URL-safe alphabet, characters outside them skipped, decoding
/// stops at the first <c>=</c>, and leftover bits that do not make a whole byte are dropped. Node reads a string's
/// UTF-16 code units through their low byte only (so U+013D reads as '=' and stops decoding); non-ASCII input is read
/// the same way here. It never fails, so a peer's sloppy input is read exactly as the reference reads it.
/// </summary>
internal static class ForgivingBase64
{
    private static readonly sbyte[] DecodeMap = BuildDecodeMap();

    public static byte[] Decode(in ReadOnlySequence<byte> base64)
    {
        if (base64.IsEmpty)
        {
            return [];
        }

        if (base64.IsSingleSegment && TryDecodeStrict(base64.FirstSpan, out var strict))
        {
            return strict;
        }

        var output = new byte[(base64.Length * 3 / 4) + 3];
        var written = 0;
        var accumulator = 0;
        var bits = 0;
        foreach (var c in LowBytes(base64))
        {
            {
                if (c == (byte)'=')
                {
                    return output.AsSpan(0, written).ToArray();
                }

                var value = DecodeMap[c];
                if (value < 0)
                {
                    continue;
                }

                accumulator = (accumulator << 6) | (byte)value;
                bits += 6;
                if (bits >= 8)
                {
                    bits -= 8;
                    output[written++] = (byte)(accumulator >> bits);
                    accumulator &= (1 << bits) - 1;
                }
            }
        }

        return output.AsSpan(0, written).ToArray();
    }

    private static IEnumerable<byte> LowBytes(ReadOnlySequence<byte> utf8)
    {
        var bytes = utf8.ToArray();
        if (System.Text.Ascii.IsValid(bytes))
        {
            foreach (var b in bytes)
            {
                yield return b;
            }

            yield break;
        }

        foreach (var c in System.Text.Encoding.UTF8.GetString(bytes))
        {
            yield return (byte)c;
        }
    }

    // The common case (well-formed, padded, standard alphabet) goes through the vectorised decoder.
    private static bool TryDecodeStrict(ReadOnlySpan<byte> base64, out byte[] bytes)
    {
        bytes = [];
        if (base64.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        var status = System.Buffers.Text.Base64.DecodeFromUtf8(base64, buffer, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != base64.Length)
        {
            return false;
        }

        bytes = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
        return true;
    }

    private static sbyte[] BuildDecodeMap()
    {
        var map = new sbyte[256];
        Array.Fill(map, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++)
        {
            map[alphabet[i]] = (sbyte)i;
        }

        map['-'] = 62;
        map['_'] = 63;
        return map;
    }
}
