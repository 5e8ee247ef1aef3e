using System.Buffers;
using System.Text;

namespace TypedSio.Protocol.Tests.Support;

/// <summary>Builds the same bytes as one segment, as fixed-size chunks, and byte by byte.</summary>
internal static class Segments
{
    public static IEnumerable<ReadOnlySequence<byte>> AllSplits(byte[] bytes)
    {
        yield return new ReadOnlySequence<byte>(bytes);
        yield return Chunked(bytes, 3);
        yield return Chunked(bytes, 1);
    }

    public static IEnumerable<ReadOnlySequence<byte>> AllSplits(string text) => AllSplits(Encoding.UTF8.GetBytes(text));

    public static ReadOnlySequence<byte> Chunked(byte[] bytes, int size)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Chunk? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var chunk = new Chunk(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)));
            if (first is null)
            {
                first = last = chunk;
            }
            else
            {
                last = last!.Append(chunk);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Chunk Append(Chunk next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }
}
