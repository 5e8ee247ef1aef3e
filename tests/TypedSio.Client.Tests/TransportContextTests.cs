using TypedSio.Client.Transports;
using TypedSio.EngineIO;

namespace TypedSio.Client.Tests;

public sealed class TransportContextTests
{
    [Theory]
    [InlineData("http://example.com:8080", EngineIOTransportKind.Polling, "http://example.com:8080/socket.io/?EIO=4&transport=polling")]
    [InlineData("http://example.com:8080", EngineIOTransportKind.WebSocket, "ws://example.com:8080/socket.io/?EIO=4&transport=websocket")]
    [InlineData("https://example.com", EngineIOTransportKind.Polling, "https://example.com/socket.io/?EIO=4&transport=polling")]
    [InlineData("https://example.com", EngineIOTransportKind.WebSocket, "wss://example.com/socket.io/?EIO=4&transport=websocket")]
    [InlineData("wss://example.com", EngineIOTransportKind.Polling, "https://example.com/socket.io/?EIO=4&transport=polling")]
    [InlineData("ws://example.com/ignored/path?x=1", EngineIOTransportKind.WebSocket, "ws://example.com/socket.io/?x=1&EIO=4&transport=websocket")]
    public void BuildUri_SchemeAndTransport_MapToTheRightUrl(string server, EngineIOTransportKind transport, string expected)
    {
        using var context = new TransportContext(new EngineIOClientOptions(new Uri(server)) { TimestampRequests = false });

        Assert.Equal(expected, context.BuildUri(transport, sid: null).AbsoluteUri);
    }

    [Fact]
    public void BuildUri_V3PollingWithSid_AsksForBase64AndCarriesTheSid()
    {
        var options = new EngineIOClientOptions(new Uri("http://h")) { ProtocolVersion = EngineIOProtocolVersion.V3, TimestampRequests = false, Path = "engine.io" };
        using var context = new TransportContext(options);

        Assert.Equal("http://h/engine.io?EIO=3&transport=polling&b64=1&sid=a%2Fb", context.BuildUri(EngineIOTransportKind.Polling, "a/b").AbsoluteUri);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("/relative")]
    public void Options_NotAnHttpOrWebSocketAddress_Throws(string address)
    {
        Assert.Throws<ArgumentException>(() => new EngineIOClientOptions(new Uri(address, UriKind.RelativeOrAbsolute)));
    }

    [Fact]
    public void BuildUri_Timestamps_DifferPerRequest()
    {
        using var context = new TransportContext(new EngineIOClientOptions(new Uri("http://h")));

        Assert.NotEqual(context.BuildUri(EngineIOTransportKind.Polling, null), context.BuildUri(EngineIOTransportKind.Polling, null));
    }
}
