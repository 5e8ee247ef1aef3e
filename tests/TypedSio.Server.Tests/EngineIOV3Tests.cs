using System.Net;
using Microsoft.Extensions.Time.Testing;
using TypedSio.EngineIO;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public sealed class EngineIOV3Tests
{
    [Fact]
    public async Task Handshake_V3Allowed_UsesLengthPrefixedPayload()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowEIO3 = true);
        var client = new PollingClient(server, "EIO=3&transport=polling");

        var body = await client.HandshakeAsync();

        var colon = body.IndexOf(':', StringComparison.Ordinal);
        Assert.Equal(body.Length - colon - 1, int.Parse(body[..colon], System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("0{\"sid\":", body[(colon + 1)..], StringComparison.Ordinal);
        var connection = await server.NextConnectionAsync();
        Assert.Equal(EngineIOProtocolVersion.V3, connection.Protocol);
    }

    [Fact]
    public async Task Ping_V3Client_ServerAnswersPong()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowEIO3 = true);
        var client = new PollingClient(server, "EIO=3&transport=polling");
        await client.HandshakeAsync();

        await client.PostAsync("1:2");

        Assert.Equal("1:3", await client.PollAsync());
    }

    [Fact]
    public async Task Messages_V3Polling_TextAndBinaryFramings()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowEIO3 = true);
        var b64 = new PollingClient(server, "EIO=3&transport=polling&b64=1");
        await b64.HandshakeAsync();
        var b64Connection = await server.NextConnectionAsync();
        var xhr2 = new PollingClient(server, "EIO=3&transport=polling");
        await xhr2.HandshakeAsync();
        var xhr2Connection = await server.NextConnectionAsync();

        await b64.PostAsync("6:4héllo");
        await b64Connection.SendAsync(EngineIOMessage.Binary(new byte[] { 1, 2, 3 }));
        await xhr2Connection.SendAsync(EngineIOMessage.Binary(new byte[] { 1, 2, 3 }));

        await using var reader = b64Connection.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("héllo", reader.Current.GetText());
        Assert.Equal("6:b4AQID", await b64.PollAsync());
        using var binary = await xhr2.GetAsync();
        Assert.Equal("application/octet-stream", binary.Content.Headers.ContentType!.ToString());
        Assert.Equal(new byte[] { 1, 4, 0xFF, 4, 1, 2, 3 }, await binary.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PingTimeout_V3ClientSilent_ClosedAfterIntervalPlusTimeout()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowEIO3 = true, time);
        var client = new PollingClient(server, "EIO=3&transport=polling");
        await client.HandshakeAsync();
        var connection = (EngineIOSession)await server.NextConnectionAsync();

        time.Advance(TimeSpan.FromSeconds(44));
        await client.PostAsync("1:2");
        time.Advance(TimeSpan.FromSeconds(44));
        Assert.True(connection.IsAlive);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
        using var after = await client.GetAsync();
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task Pong_FromV3Client_ClosesWithTransportError()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowEIO3 = true);
        var client = new PollingClient(server, "EIO=3&transport=polling");
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await client.PostAsync("1:3");

        Assert.Equal(EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task WebSocket_V3_BinaryFramesCarryTypeByte()
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(o => o.AllowEIO3 = true);
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=3&transport=websocket"));
        Assert.StartsWith("0{", await ws.ReceiveTextAsync(), StringComparison.Ordinal);

        await ws.SendBinaryAsync([4, 9, 8]);
        var (type, data) = await ws.ReceiveAsync();
        await ws.SendTextAsync("2");

        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 4, 9, 8 }, data);
        Assert.Equal("3", await ws.ReceiveTextAsync());
    }
}
