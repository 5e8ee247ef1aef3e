using System.Buffers;
using System.Text;
using TypedSio.EngineIO;
using TypedSio.Protocol.Tests.Support;

namespace TypedSio.Protocol.Tests.EngineIO;

public class EngineIOFrameCodecTests
{
    [Theory]
    [InlineData("0{\"sid\":\"abc\"}", EngineIOPacketType.Open, "{\"sid\":\"abc\"}")]
    [InlineData("1", EngineIOPacketType.Close, "")]
    [InlineData("2", EngineIOPacketType.Ping, "")]
    [InlineData("2probe", EngineIOPacketType.Ping, "probe")]
    [InlineData("3probe", EngineIOPacketType.Pong, "probe")]
    [InlineData("4hello é 😀", EngineIOPacketType.Message, "hello é 😀")]
    [InlineData("4", EngineIOPacketType.Message, "")]
    [InlineData("5", EngineIOPacketType.Upgrade, "")]
    [InlineData("6", EngineIOPacketType.Noop, "")]
    public void TryDecodeText_GoldenFrames_DecodeInEverySplit(string frame, EngineIOPacketType type, string data)
    {
        foreach (var input in Segments.AllSplits(frame))
        {
            Assert.True(EngineIOFrameCodec.TryDecodeText(input, EngineIOProtocolVersion.V4, out var packet, out _));
            Assert.Equal(type, packet.Type);
            Assert.False(packet.IsBinary);
            Assert.Equal(data, packet.GetText());
            Assert.Equal(frame, Encode(packet));
        }
    }

    [Theory]
    [InlineData("", EngineIOParseErrorKind.EmptyPacket)]
    [InlineData("7", EngineIOParseErrorKind.UnknownPacketType)]
    [InlineData("x", EngineIOParseErrorKind.UnknownPacketType)]
    public void TryDecodeText_Malformed_ReportsTypedError(string frame, EngineIOParseErrorKind kind)
    {
        Assert.False(EngineIOFrameCodec.TryDecodeText(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(frame)), EngineIOProtocolVersion.V4, out _, out var error));
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void TryDecodeText_InvalidUtf8_ReportsPosition()
    {
        Assert.False(EngineIOFrameCodec.TryDecodeText(new ReadOnlySequence<byte>([(byte)'4', (byte)'a', 0xC3]), EngineIOProtocolVersion.V4, out _, out var error));
        Assert.Equal(new EngineIOParseError(EngineIOParseErrorKind.InvalidUtf8, 2), error);
    }

    [Theory]
    [InlineData("bAQID", new byte[] { 1, 2, 3 })]
    [InlineData("b", new byte[0])]
    [InlineData("bAQ", new byte[] { 1 })] // unpadded, as Node's Buffer.from reads it
    [InlineData("bA Q=garbage", new byte[] { 1 })]
    [InlineData("b-_8", new byte[] { 0xFB, 0xFF })]
    public void TryDecodeText_Base64_DecodesLikeNode(string frame, byte[] expected)
    {
        foreach (var input in Segments.AllSplits(frame))
        {
            Assert.True(EngineIOFrameCodec.TryDecodeText(input, EngineIOProtocolVersion.V4, out var packet, out _));
            Assert.True(packet.IsBinary);
            Assert.Equal(EngineIOPacketType.Message, packet.Type);
            Assert.Equal(expected, packet.Data.ToArray());
        }
    }

    [Fact]
    public void WriteText_BinaryPacket_WritesBase64ForEachVersion()
    {
        var packet = EngineIOPacket.Binary(new byte[] { 1, 2, 3, 4 });
        Assert.Equal("bAQIDBA==", Encode(packet));
        Assert.Equal("b4AQIDBA==", Encode(packet, EngineIOProtocolVersion.V3));
        Assert.Equal("b", Encode(EngineIOPacket.Binary(Array.Empty<byte>())));
    }

    [Fact]
    public void BinaryFrames_V4IsRawAndV3HasTypeByte()
    {
        var packet = EngineIOPacket.Binary(new byte[] { 9, 8 });
        var v4 = new ArrayBufferWriter<byte>();
        EngineIOFrameCodec.WriteBinary(packet, v4);
        Assert.Equal(new byte[] { 9, 8 }, v4.WrittenSpan.ToArray());

        var v3 = new ArrayBufferWriter<byte>();
        EngineIOFrameCodec.WriteBinary(packet, v3, EngineIOProtocolVersion.V3);
        Assert.Equal(new byte[] { 4, 9, 8 }, v3.WrittenSpan.ToArray());

        Assert.True(EngineIOFrameCodec.TryDecodeBinary(new ReadOnlySequence<byte>(v3.WrittenMemory), EngineIOProtocolVersion.V3, out var decoded, out _));
        Assert.Equal(packet, decoded);
        Assert.False(EngineIOFrameCodec.TryDecodeBinary(new ReadOnlySequence<byte>(new byte[] { 7 }), EngineIOProtocolVersion.V3, out _, out var error));
        Assert.Equal(EngineIOParseErrorKind.UnknownPacketType, error.Kind);
    }

    [Fact]
    public void Probes_AreRecognised()
    {
        Assert.True(EngineIOPacket.PingProbe.IsProbe);
        Assert.Equal("2probe", Encode(EngineIOPacket.PingProbe));
        Assert.Equal("3probe", Encode(EngineIOPacket.PongProbe));
        Assert.False(EngineIOPacket.Text(EngineIOPacketType.Message, "probe").IsProbe);
    }

    internal static string Encode(EngineIOPacket packet, EngineIOProtocolVersion version = EngineIOProtocolVersion.V4)
    {
        var output = new ArrayBufferWriter<byte>();
        EngineIOFrameCodec.WriteText(packet, output, version);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
