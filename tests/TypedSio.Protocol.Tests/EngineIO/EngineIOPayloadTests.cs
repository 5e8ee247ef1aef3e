using System.Buffers;
using System.Text;
using TypedSio.EngineIO;
using TypedSio.Protocol.Tests.Support;

namespace TypedSio.Protocol.Tests.EngineIO;

public class EngineIOPayloadTests
{
    private static readonly EngineIOPacket[] Mixed =
    [
        EngineIOPacket.Text(EngineIOPacketType.Message, "hello é"),
        EngineIOPacket.Binary(new byte[] { 1, 2, 3, 4 }),
        EngineIOPacket.Text(EngineIOPacketType.Ping),
        EngineIOPacket.Binary(Array.Empty<byte>()),
        EngineIOPacket.Text(EngineIOPacketType.Message, "😀"),
    ];

    [Fact]
    public void V4_Payload_JoinsWithRecordSeparatorAndBase64()
    {
        Assert.Equal("4hello é\u001ebAQIDBA==\u001e2\u001eb\u001e4😀", WriteText(Mixed, EngineIOPayloadFormat.V4));
    }

    [Fact]
    public void V3Text_Payload_PrefixesUtf16Lengths()
    {
        // "4hello é" is 8 UTF-16 units; "b4AQIDBA==" 10; "2" 1; "b4" 2; "4😀" 3 (the emoji is a surrogate pair).
        Assert.Equal("8:4hello é10:b4AQIDBA==1:22:b43:4😀", WriteText(Mixed, EngineIOPayloadFormat.V3Text));
        Assert.Equal("0:", WriteText([], EngineIOPayloadFormat.V3Text));
    }

    [Fact]
    public void V3Binary_Payload_UsesDigitBytesAndMarker()
    {
        var output = new ArrayBufferWriter<byte>();
        EngineIOPayloadWriter.Write([EngineIOPacket.Text(EngineIOPacketType.Message, "hi"), EngineIOPacket.Binary(new byte[] { 9 })], output, EngineIOPayloadFormat.V3Binary);
        Assert.Equal(new byte[] { 0, 3, 0xFF, (byte)'4', (byte)'h', (byte)'i', 1, 2, 0xFF, 4, 9 }, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(EngineIOPayloadFormat.V4)]
    [InlineData(EngineIOPayloadFormat.V3Text)]
    [InlineData(EngineIOPayloadFormat.V3Binary)]
    public void Payload_RoundTrips_InEverySplit(EngineIOPayloadFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        EngineIOPayloadWriter.Write(Mixed, output, format);
        foreach (var input in Segments.AllSplits(output.WrittenSpan.ToArray()))
        {
            var reader = new EngineIOPayloadReader(input, format);
            var read = new List<EngineIOPacket>();
            while (reader.TryRead(out var packet))
            {
                read.Add(packet);
            }

            Assert.Null(reader.Error);
            Assert.Equal(Mixed, read);
        }
    }

    [Theory]
    [InlineData("", EngineIOPayloadFormat.V4, 0, EngineIOParseErrorKind.EmptyPacket)]
    [InlineData("4a\u001e", EngineIOPayloadFormat.V4, 1, EngineIOParseErrorKind.EmptyPacket)]
    [InlineData("4a\u001e9", EngineIOPayloadFormat.V4, 1, EngineIOParseErrorKind.UnknownPacketType)]
    [InlineData("", EngineIOPayloadFormat.V3Text, 0, EngineIOParseErrorKind.InvalidLength)]
    [InlineData("2:4a3", EngineIOPayloadFormat.V3Text, 1, EngineIOParseErrorKind.InvalidLength)]
    [InlineData("5:4a", EngineIOPayloadFormat.V3Text, 0, EngineIOParseErrorKind.InvalidLength)]
    [InlineData("x:4a", EngineIOPayloadFormat.V3Text, 0, EngineIOParseErrorKind.InvalidLength)]
    [InlineData("2:9a", EngineIOPayloadFormat.V3Text, 0, EngineIOParseErrorKind.UnknownPacketType)]
    public void Payload_Malformed_YieldsPacketsBeforeTheErrorThenStops(string payload, EngineIOPayloadFormat format, int packetsBefore, EngineIOParseErrorKind kind)
    {
        var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), format);
        var count = 0;
        while (reader.TryRead(out _))
        {
            count++;
        }

        Assert.Equal(packetsBefore, count);
        Assert.Equal(kind, reader.Error?.Kind);
    }

    [Fact]
    public void V3Text_QuirkyLengthPrefixes_AreReadAsJavaScriptNumbers()
    {
        // The reference compares the prefix with Number(prefix): " 2", "0x2" and "2.0" all mean 2.
        foreach (var payload in new[] { " 2:4a", "0x2:4a", "2.0:4a", "0:2:4a" })
        {
            var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), EngineIOPayloadFormat.V3Text);
            Assert.True(reader.TryRead(out var packet), payload);
            Assert.Equal("a", packet.GetText());
            Assert.False(reader.TryRead(out _));
            Assert.Null(reader.Error);
        }
    }

    [Fact]
    public void Payload_TooManyPackets_IsRejected()
    {
        var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>("4a\u001e4b\u001e4c"u8.ToArray()), maxPackets: 2);
        Assert.True(reader.TryRead(out _));
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(EngineIOParseErrorKind.TooManyPackets, reader.Error?.Kind);
    }

    [Fact]
    public void V3Binary_Truncated_IsRejected()
    {
        var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(new byte[] { 0, 5, 0xFF, (byte)'4' }), EngineIOPayloadFormat.V3Binary);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(EngineIOParseErrorKind.Truncated, reader.Error?.Kind);
    }

    private static string WriteText(EngineIOPacket[] packets, EngineIOPayloadFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        EngineIOPayloadWriter.Write(packets, output, format);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
