using System.Buffers;
using System.Text;
using TypedSio.Protocol.Tests.Support;
using TypedSio.SocketIO;

namespace TypedSio.Protocol.Tests.SocketIO;

public class SocketIODecoderTests
{
    [Theory]
    [InlineData("0", SocketIOPacketType.Connect, "/", null, "")]
    [InlineData("0{\"token\":\"123\"}", SocketIOPacketType.Connect, "/", null, "{\"token\":\"123\"}")]
    [InlineData("0/admin,", SocketIOPacketType.Connect, "/admin", null, "")]
    [InlineData("0/custom", SocketIOPacketType.Connect, "/custom", null, "")] // Engine.IO message "40/custom": no trailing comma
    [InlineData("0/admin,{\"sid\":\"oSO0OpakmFnuD\"}", SocketIOPacketType.Connect, "/admin", null, "{\"sid\":\"oSO0OpakmFnuD\"}")]
    [InlineData("1/admin,", SocketIOPacketType.Disconnect, "/admin", null, "")]
    [InlineData("2[\"hello\",1]", SocketIOPacketType.Event, "/", null, "[\"hello\",1]")]
    [InlineData("2/admin,456[\"project:delete\",123]", SocketIOPacketType.Event, "/admin", 456L, "[\"project:delete\",123]")]
    [InlineData("3/admin,456[]", SocketIOPacketType.Ack, "/admin", 456L, "[]")]
    [InlineData("4/admin,{\"message\":\"Not authorized\"}", SocketIOPacketType.ConnectError, "/admin", null, "{\"message\":\"Not authorized\"}")]
    [InlineData("4\"just a string\"", SocketIOPacketType.ConnectError, "/", null, "\"just a string\"")]
    [InlineData("2[ \"a\" , { \"b\" : \"x y\" } ]", SocketIOPacketType.Event, "/", null, "[\"a\",{\"b\":\"x y\"}]")]
    [InlineData("2[1.50,1e3,-0]", SocketIOPacketType.Event, "/", null, "[1.50,1e3,-0]")]
    [InlineData("2[\"é😀\\u2028\"]", SocketIOPacketType.Event, "/", null, "[\"é😀\\u2028\"]")]
    [InlineData("2", SocketIOPacketType.Event, "/", null, "")]
    [InlineData("", SocketIOPacketType.Connect, "/", null, "")] // Number("") is 0 in the reference
    [InlineData("2 [\"a\"]", SocketIOPacketType.Event, "/", 0L, "[\"a\"]")] // white space reads as an ack id of 0
    [InlineData("2 12 [\"a\"]", SocketIOPacketType.Event, "/", 12L, "[\"a\"]")]
    public void TryDecodeText_GoldenFrames_DecodeAsTheReferenceDoes(string text, SocketIOPacketType type, string nsp, long? id, string payload)
    {
        foreach (var input in Segments.AllSplits(text))
        {
            var decoder = new SocketIODecoder();
            Assert.True(decoder.TryDecodeText(input, out var packet, out var error), error.Message);
            Assert.NotNull(packet);
            Assert.Equal(type, packet.Type);
            Assert.Equal(nsp, packet.Namespace);
            Assert.Equal(id, packet.AckId);
            Assert.Equal(payload, packet.PayloadText);
        }
    }

    [Theory]
    [InlineData("7", SocketIOParseErrorKind.UnknownPacketType)]
    [InlineData("a", SocketIOParseErrorKind.UnknownPacketType)]
    [InlineData("0[]", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("0\"x\"", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("1{}", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("2{}", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("2[]", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("2[null]", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("2[\"disconnect\"]", SocketIOParseErrorKind.ReservedEventName)]
    [InlineData("2[\"connect\",1]", SocketIOParseErrorKind.ReservedEventName)]
    [InlineData("2[\"a\"", SocketIOParseErrorKind.InvalidJson)]
    [InlineData("2[\"a\",]", SocketIOParseErrorKind.InvalidJson)]
    [InlineData("2[\"a\"]x", SocketIOParseErrorKind.InvalidJson)]
    [InlineData("2[01]", SocketIOParseErrorKind.InvalidJson)]
    [InlineData("3{}", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("4[]", SocketIOParseErrorKind.InvalidPayload)]
    [InlineData("5[\"a\"]", SocketIOParseErrorKind.IllegalAttachments)]
    [InlineData("50-[\"a\"]", SocketIOParseErrorKind.IllegalAttachments)]
    [InlineData("5x-[\"a\"]", SocketIOParseErrorKind.IllegalAttachments)]
    [InlineData("51.5-[\"a\"]", SocketIOParseErrorKind.IllegalAttachments)]
    [InlineData("511-[\"a\"]", SocketIOParseErrorKind.TooManyAttachments)]
    [InlineData("21 2[\"a\"]", SocketIOParseErrorKind.InvalidAckId)]
    [InlineData("40/admin", SocketIOParseErrorKind.InvalidJson)] // type 4, ack id 0, payload "/admin"
    [InlineData("299999999999999999999[\"a\"]", SocketIOParseErrorKind.InvalidAckId)]
    public void TryDecodeText_Malformed_ReportsTheBrokenRule(string text, SocketIOParseErrorKind kind)
    {
        var decoder = new SocketIODecoder();
        Assert.False(decoder.TryDecodeText(text, out _, out var error));
        Assert.Equal(kind, error.Kind);
        Assert.False(string.IsNullOrEmpty(error.Message));
    }

    [Fact]
    public void TryDecodeText_InvalidUtf8_IsRejected()
    {
        var decoder = new SocketIODecoder();
        Assert.False(decoder.TryDecodeText(new ReadOnlySequence<byte>([(byte)'2', (byte)'[', (byte)'"', 0xFF, (byte)'"', (byte)']']), out _, out var error));
        Assert.Equal(new SocketIOParseError(SocketIOParseErrorKind.InvalidUtf8, 3), error);
    }

    [Theory]
    [InlineData("2[\"chat message\",1]", "chat message")]
    [InlineData("2[\"caf\\u00e9\",1]", "café")]
    [InlineData("2[\"tab\\there\"]", "tab\there")]
    [InlineData("2[\"héllo ✓\"]", "héllo ✓")]
    public void EventName_RepeatedAcrossPackets_IsTheSameValueEachTime(string text, string expected)
    {
        var decoder = new SocketIODecoder();
        Assert.True(decoder.TryDecodeText(text, out var first, out _));
        Assert.True(decoder.TryDecodeText(text, out var second, out _));

        Assert.Equal(expected, first!.EventName);
        Assert.Equal(expected, second!.EventName);
    }

    [Fact]
    public void EventName_OfAnotherEvent_IsNotConfusedWithACachedOne()
    {
        var decoder = new SocketIODecoder();
        Assert.True(decoder.TryDecodeText("2[\"message\"]", out var message, out _));
        Assert.True(decoder.TryDecodeText("2[\"messages\"]", out var messages, out _));
        Assert.True(decoder.TryDecodeText("2[\"messag\"]", out var messag, out _));

        Assert.Equal("message", message!.EventName);
        Assert.Equal("messages", messages!.EventName);
        Assert.Equal("messag", messag!.EventName);
        Assert.True(decoder.TryDecodeText("2[\"message\",2]", out var again, out _));
        Assert.Same(message.EventName, again!.EventName); // read without allocating the name again
    }

    [Fact]
    public void BinaryEvent_AttachmentsArriveSeparately_AreReassembled()
    {
        var decoder = new SocketIODecoder();
        Assert.True(decoder.TryDecodeText("52-/chat,7[\"upload\",{\"_placeholder\":true,\"num\":0},{\"deep\":[{\"_placeholder\":true,\"num\":1}]}]", out var packet, out _));
        Assert.Null(packet);
        Assert.True(decoder.IsAwaitingAttachments);
        Assert.True(decoder.TryDecodeBinary(new ReadOnlySequence<byte>(new byte[] { 1, 2 }), out packet, out _));
        Assert.Null(packet);
        Assert.True(decoder.TryDecodeBinary(new ReadOnlySequence<byte>(Array.Empty<byte>()), out packet, out _));
        Assert.NotNull(packet);
        Assert.Equal(SocketIOPacketType.BinaryEvent, packet.Type);
        Assert.Equal("/chat", packet.Namespace);
        Assert.Equal(7L, packet.AckId);
        Assert.Equal("upload", packet.EventName);
        var args = packet.GetArguments();
        Assert.Equal(2, args.Count);
        Assert.Equal(new byte[] { 1, 2 }, args.GetValue(0));
        var deep = Assert.IsType<Dictionary<string, object?>>(args.GetValue(1));
        Assert.Equal(Array.Empty<byte>(), Assert.IsType<List<object?>>(deep["deep"])[0]);
        Assert.False(decoder.IsAwaitingAttachments);
    }

    [Fact]
    public void BinaryEvent_PlaceholderOutOfRange_IsRejectedWhenComplete()
    {
        var decoder = new SocketIODecoder();
        Assert.True(decoder.TryDecodeText("51-[\"a\",{\"_placeholder\":true,\"num\":1}]", out _, out _));
        Assert.False(decoder.TryDecodeBinary(new ReadOnlySequence<byte>(new byte[] { 1 }), out _, out var error));
        Assert.Equal(SocketIOParseErrorKind.InvalidPlaceholder, error.Kind);
        Assert.False(decoder.IsAwaitingAttachments);
    }

    [Fact]
    public void Decoder_TextWhileAwaitingAttachments_IsRejected()
    {
        var decoder = new SocketIODecoder();
        Assert.True(decoder.TryDecodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]", out _, out _));
        Assert.False(decoder.TryDecodeText("2[\"b\"]", out _, out var error));
        Assert.Equal(SocketIOParseErrorKind.UnexpectedText, error.Kind);
    }

    [Fact]
    public void Decoder_BinaryWithoutPendingPacket_IsRejected()
    {
        var decoder = new SocketIODecoder();
        Assert.False(decoder.TryDecodeBinary(new ReadOnlySequence<byte>(new byte[] { 1 }), out _, out var error));
        Assert.Equal(SocketIOParseErrorKind.UnexpectedBinary, error.Kind);
    }

    [Fact]
    public void Decoder_OversizePacket_IsRejected()
    {
        var decoder = new SocketIODecoder(new SocketIOParserOptions { MaxPacketSize = 10 });
        Assert.False(decoder.TryDecodeText("2[\"abcdefghijkl\"]", out _, out var error));
        Assert.Equal(SocketIOParseErrorKind.PacketTooLarge, error.Kind);
    }

    [Fact]
    public void Decoder_NamespaceStrings_AreReused()
    {
        var decoder = new SocketIODecoder();
        decoder.TryDecodeText("2/chat,[\"a\"]", out var first, out _);
        decoder.TryDecodeText("2/chat,[\"b\"]", out var second, out _);
        Assert.Same(first!.Namespace, second!.Namespace);
    }

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
