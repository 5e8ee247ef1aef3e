using System.Buffers;
using System.Text;
using TypedSio.EngineIO;

namespace TypedSio.Protocol.Tests.EngineIO;

public class EngineIOHandshakeTests
{
    [Fact]
    public void ToPacket_WritesTheReferenceFieldOrder()
    {
        var handshake = new EngineIOHandshake("lv_VI97HAXpY6yYWAAAC", ["websocket"], TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), 1_000_000);
        Assert.Equal(
            "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
            EngineIOFrameCodecTests.Encode(handshake.ToPacket()));
    }

    [Fact]
    public void TryParse_ReadsV4AndV3Handshakes()
    {
        Assert.True(EngineIOHandshake.TryParse(Json("{\"sid\":\"a\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000,\"extra\":{\"x\":[1]}}"), out var v4, out _));
        Assert.Equal(new EngineIOHandshake("a", [], TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(200), 1000), v4);

        Assert.True(EngineIOHandshake.TryParse(Json("{\"sid\":\"b\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":5000}"), out var v3, out _));
        Assert.Null(v3!.MaxPayload);
        Assert.Equal(["websocket"], v3.Upgrades);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1}", "'sid'")]
    [InlineData("{\"sid\":\"a\",\"pingTimeout\":1}", "'pingInterval'")]
    [InlineData("{\"sid\":\"a\",\"pingInterval\":1,\"pingTimeout\":\"x\"}", "'pingTimeout'")]
    public void TryParse_Invalid_SaysWhatIsWrong(string json, string expected)
    {
        Assert.False(EngineIOHandshake.TryParse(Json(json), out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorCodes_HaveTheDocumentedMessagesAndStatuses()
    {
        Assert.Equal("Transport unknown", EngineIOErrors.GetMessage(EngineIOErrorCode.TransportUnknown));
        Assert.Equal("Session ID unknown", EngineIOErrors.GetMessage(EngineIOErrorCode.SessionIdUnknown));
        Assert.Equal("Bad handshake method", EngineIOErrors.GetMessage(EngineIOErrorCode.BadHandshakeMethod));
        Assert.Equal("Bad request", EngineIOErrors.GetMessage(EngineIOErrorCode.BadRequest));
        Assert.Equal("Forbidden", EngineIOErrors.GetMessage(EngineIOErrorCode.Forbidden));
        Assert.Equal("Unsupported protocol version", EngineIOErrors.GetMessage(EngineIOErrorCode.UnsupportedProtocolVersion));
        Assert.Equal(403, EngineIOErrors.GetHttpStatus(EngineIOErrorCode.Forbidden));
        Assert.Equal(400, EngineIOErrors.GetHttpStatus(EngineIOErrorCode.SessionIdUnknown));
    }

    private static ReadOnlySequence<byte> Json(string json) => new(Encoding.UTF8.GetBytes(json));
}
