using System.Buffers;
using TypedSio.Server.EngineIO;

namespace TypedSio.Server.Tests;

public sealed class WebSocketFramingTests
{
    private static readonly byte[] Mask = [0x37, 0xFA, 0x21, 0x3D];

    [Fact]
    public void AcceptKey_OfTheRfcExample_IsTheRfcAnswer()
    {
        // RFC 6455 section 1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketFraming.ComputeAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Theory]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==", true)]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ", false)] // unpadded
    [InlineData("dGhlIHNhbXBsZSBub25jZWVl", false)] // 18 bytes
    [InlineData("not base64 at all!!!!!!!", false)]
    [InlineData("", false)]
    public void IsValidKey_AcceptsOnlySixteenBytesInBase64(string key, bool valid)
    {
        Assert.Equal(valid, WebSocketFraming.IsValidKey(key));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    public void ClientHeader_RoundTripsEveryLengthEncoding(long length, int lengthBytesPlusTwo)
    {
        var frame = ClientHeader(fin: true, WebSocketOpcode.Binary, length);

        Assert.True(WebSocketFraming.TryReadHeader(new ReadOnlySequence<byte>(frame), out var header, out var error));
        Assert.Equal(WebSocketFrameError.None, error);
        Assert.Equal(new WebSocketFrameHeader(true, WebSocketOpcode.Binary, length, BitConverter.ToUInt32(Mask), lengthBytesPlusTwo + 4), header);
    }

    [Fact]
    public void ClientHeader_ByteByByte_NeedsMoreUntilTheMaskIsIn()
    {
        var frame = ClientHeader(fin: false, WebSocketOpcode.Text, 70000);
        for (var available = 0; available < frame.Length; available++)
        {
            Assert.False(WebSocketFraming.TryReadHeader(new ReadOnlySequence<byte>(frame, 0, available), out _, out var error));
            Assert.Equal(WebSocketFrameError.None, error);
        }

        Assert.True(WebSocketFraming.TryReadHeader(Segmented(frame), out var header, out _));
        Assert.Equal((false, WebSocketOpcode.Text, 70000L, 14), (header.Fin, header.Opcode, header.PayloadLength, header.HeaderLength));
    }

    [Theory]
    [InlineData(new byte[] { 0xC1, 0x80, 1, 2, 3, 4 }, "ReservedBitsSet")] // RSV1 without deflate
    [InlineData(new byte[] { 0x81, 0x05, 1, 2, 3, 4 }, "NotMasked")]
    [InlineData(new byte[] { 0x83, 0x80, 1, 2, 3, 4 }, "UnknownOpcode")]
    [InlineData(new byte[] { 0x8B, 0x80, 1, 2, 3, 4 }, "UnknownOpcode")]
    [InlineData(new byte[] { 0x09, 0x80, 1, 2, 3, 4 }, "FragmentedControlFrame")]
    [InlineData(new byte[] { 0x89, 0xFE, 0, 126, 1, 2, 3, 4 }, "ControlFrameTooLong")]
    [InlineData(new byte[] { 0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, "LengthTooLarge")]
    public void ClientHeader_BreakingTheProtocol_IsAnError(byte[] frame, string expected)
    {
        Assert.False(WebSocketFraming.TryReadHeader(new ReadOnlySequence<byte>(frame), out _, out var error));
        Assert.Equal(expected, error.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    public void Unmask_InPiecesAtAnyOffset_MatchesTheBytewiseDefinition(int firstPiece)
    {
        var payload = Enumerable.Range(0, 41).Select(i => (byte)(i * 7)).ToArray();
        var masked = payload.Select((b, i) => (byte)(b ^ Mask[i % 4])).ToArray();

        var mask = BitConverter.ToUInt32(Mask);
        WebSocketFraming.Unmask(masked.AsSpan(0, firstPiece), mask, 0);
        WebSocketFraming.Unmask(masked.AsSpan(firstPiece), mask, firstPiece);

        Assert.Equal(payload, masked);
    }

    [Theory]
    [InlineData(5, new byte[] { 0x81, 5 })]
    [InlineData(300, new byte[] { 0x81, 126, 1, 44 })]
    [InlineData(70000, new byte[] { 0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70 })]
    public void ServerHeader_IsFinalUnmaskedAndShortest(long length, byte[] expected)
    {
        var header = new byte[WebSocketFraming.MaxServerHeaderLength];

        var written = WebSocketFraming.WriteHeader(header, WebSocketOpcode.Text, length);

        Assert.Equal(expected, header[..written]);
        Assert.Equal(written, WebSocketFraming.GetHeaderLength(length));
    }

    private static byte[] ClientHeader(bool fin, WebSocketOpcode opcode, long length)
    {
        var bytes = new List<byte> { (byte)((fin ? 0x80 : 0) | (int)opcode) };
        if (length <= 125)
        {
            bytes.Add((byte)(0x80 | length));
        }
        else if (length <= ushort.MaxValue)
        {
            bytes.AddRange([0x80 | 126, (byte)(length >> 8), (byte)length]);
        }
        else
        {
            bytes.Add(0x80 | 127);
            bytes.AddRange(BitConverter.GetBytes((ulong)length).Reverse());
        }

        bytes.AddRange(Mask);
        return [.. bytes];
    }

    /// <summary>The same bytes as a sequence of one-byte segments.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
