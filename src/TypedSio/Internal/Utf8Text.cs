using System.Buffers;
using System.Text.Unicode;

namespace TypedSio.Internal;

/// <summary>UTF-8 helpers that work across the segments of a <see cref="ReadOnlySequence{T}"/>.</summary>
internal static class Utf8Text
{
    /// <summary>Returns -1 when the text is valid UTF-8, else the offset of the first invalid byte.</summary>
    public static long IndexOfInvalid(in ReadOnlySequence<byte> text)
    {
        if (text.IsSingleSegment)
        {
            return IndexOfInvalid(text.FirstSpan);
        }

        // A code point may straddle two segments; validating a contiguous copy keeps this rare path simple.
        var rented = ArrayPool<byte>.Shared.Rent(checked((int)text.Length));
        try
        {
            text.CopyTo(rented);
            return IndexOfInvalid(rented.AsSpan(0, (int)text.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static long IndexOfInvalid(ReadOnlySpan<byte> text)
    {
        if (Utf8.IsValid(text))
        {
            return -1;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }
}
