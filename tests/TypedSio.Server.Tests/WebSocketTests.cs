using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public class WebSocketTests
{
    /// <summary>Whether the servers of these tests serve WebSockets below ASP.NET Core (<c>UseEngineIOWebSockets</c>).</summary>
    protected virtual bool ConnectionLevel => false;

    [Fact]
    public async Task Handshake_WebSocket_FirstFrameIsOpenPacketWithoutUpgrades()
    {
        await using var server = await StartServerAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));

        var open = await ws.ReceiveTextAsync();

        Assert.Matches("^0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\\],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000\\}$", open);
        var connection = await server.NextConnectionAsync();
        Assert.Equal(EngineIOTransportNames.WebSocket, connection.Transport);
    }

    [Fact]
    public async Task WritesMadeWhileHandlingAFrame_GoOutBeforeTheHandlerAwaits()
    {
        // Writes made on a read loop's thread wait for the loop to finish what it read; a receiver that then awaits
        // something (here: until both clients have those writes) must not hold them back, or this would never finish.
        await using var server = await StartServerAsync();
        await using var a = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await a.ReceiveTextAsync();
        var sessionA = (EngineIOSession)await server.NextConnectionAsync();
        await using var b = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await b.ReceiveTextAsync();
        var sessionB = (EngineIOSession)await server.NextConnectionAsync();
        var bothReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sessionA.SetReceiver(async message =>
        {
            sessionA.Send([EngineIOMessage.Text("before " + message.GetText())]);
            sessionB.Send([EngineIOMessage.Text("to b")]);
            await bothReceived.Task;
            sessionA.Send([EngineIOMessage.Text("after")]);
        });

        await a.SendTextAsync("4hold");

        Assert.Equal("4before hold", await a.ReceiveTextAsync());
        Assert.Equal("4to b", await b.ReceiveTextAsync());
        bothReceived.SetResult();
        Assert.Equal("4after", await a.ReceiveTextAsync());
    }

    [Fact]
    public async Task ManyFramesInOneRead_RepliesAllArriveInOrder()
    {
        await using var server = await StartEchoServerAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveTextAsync();

        // All sent before any reply is read: the frames pile up and the server reads several at once.
        for (var i = 0; i < 200; i++)
        {
            await ws.SendTextAsync("4m" + i);
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("4m" + i, await ws.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Echo_TextAndBinaryFrames_RoundTrip()
    {
        await using var server = await StartEchoServerAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveTextAsync();

        await ws.SendTextAsync("4héllo 😀");
        await ws.SendBinaryAsync([0, 1, 2, 255]);

        Assert.Equal("4héllo 😀", await ws.ReceiveTextAsync());
        var (type, data) = await ws.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, data);
    }

    [Fact]
    public async Task ClientCloses_WebSocket_ReasonIsTransportClose()
    {
        await using var server = await StartServerAsync();
        var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await ws.DisposeAsync();

        Assert.Equal(EngineIOCloseReason.TransportClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
        Assert.Equal(0, server.Server.ClientsCount);
    }

    [Fact]
    public async Task ServerCloses_ClientAnswersTheCloseFrame_ConnectionEndsWithoutWaitingForTheTimeout()
    {
        // The clock never moves, so the close handshake's timeout cannot end the connection: only the answer can.
        await using var server = await StartServerAsync(time: new FakeTimeProvider());
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, "/engine.io/?EIO=4&transport=websocket");
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        _ = connection.CloseAsync();
        Assert.Equal(1000, await ws.ReceiveCloseStatusAsync());
        await ws.SendAsync(RawWebSocket.Frame(0x8, [0x03, 0xE8]));

        Assert.True(await ws.IsClosedByServerAsync());
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task HostStops_WebSocketClientGetsACloseFrame_AndTheStopCompletes()
    {
        await using var server = await StartServerAsync();
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, "/engine.io/?EIO=4&transport=websocket");
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        var stopping = server.StopAsync();
        Assert.Equal(1000, await ws.ReceiveCloseStatusAsync());
        await ws.SendAsync(RawWebSocket.Frame(0x8, [0x03, 0xE8]));

        await stopping.WaitAsync(EngineIOTestServer.Timeout);
        Assert.True(await ws.IsClosedByServerAsync());
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task UndecodableFrame_WebSocket_ClosesWithParseError()
    {
        await using var server = await StartServerAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await ws.SendTextAsync("9what");

        await ws.ExpectCloseAsync();
        Assert.Equal(EngineIOCloseReason.ParseError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task OversizedMessage_WebSocket_ClosesWithTransportError()
    {
        await using var server = await StartServerAsync(o => o.MaxHttpBufferSize = 100);
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await ws.SendTextAsync("4" + new string('x', 100));

        await ws.ExpectCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.Socket.CloseStatus);
        Assert.Equal(EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task CloseAsync_WebSocket_DeliversQueuedThenCloses()
    {
        await using var server = await StartServerAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await connection.SendAsync(EngineIOMessage.Text("last"));
        var closing = connection.CloseAsync();

        Assert.Equal("4last", await ws.ReceiveTextAsync());
        await ws.ExpectCloseAsync();
        await closing.WaitAsync(EngineIOTestServer.Timeout);
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed);
    }

    [Fact]
    public async Task Upgrade_ProbeThenUpgrade_PendingPollGetsNoopAndTrafficMovesToWebSocket()
    {
        await using var server = await StartServerAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        var poll = client.PollAsync();
        await PollingTests.WaitUntilPollIsPendingAsync(connection);
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));

        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        Assert.Equal("6", await poll);
        await ws.SendTextAsync("5");
        await connection.SendAsync(EngineIOMessage.Text("over websocket"));

        Assert.Equal("4over websocket", await ws.ReceiveTextAsync());
        Assert.Equal(EngineIOTransportNames.WebSocket, connection.Transport);
        using var late = await client.GetAsync();
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await late.Content.ReadAsStringAsync());
        using var latePost = await client.PostRawAsync("4via polling");
        Assert.Equal(HttpStatusCode.BadRequest, latePost.StatusCode);
        await ws.SendTextAsync("4from client");
        await using var reader = connection.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("from client", reader.Current.GetText());
    }

    [Fact]
    public async Task Upgrade_QueuedMessages_ProbeAnswerComesFirstOnNewSocket()
    {
        await using var server = await StartServerAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        await connection.SendAsync(EngineIOMessage.Text("queued"));
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));

        await ws.SendTextAsync("2probe");

        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        // During the upgrade the poll still works: it takes what is queued, then answers noop at once.
        Assert.Equal("4queued", await client.PollAsync());
        Assert.Equal("6", await client.PollAsync());
        await ws.SendTextAsync("5");
        await connection.SendAsync(EngineIOMessage.Text("after"));
        Assert.Equal("4after", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Upgrade_SecondWebSocketAfterUpgrade_AcceptedThenClosed()
    {
        await using var server = await StartServerAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("5");
        await connection.SendAsync(EngineIOMessage.Text("sync"));
        Assert.Equal("4sync", await ws.ReceiveTextAsync());

        await using var second = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));

        await second.ExpectCloseAsync();
        await connection.SendAsync(EngineIOMessage.Text("still here"));
        Assert.Equal("4still here", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Upgrade_SecondCandidateWhileUpgrading_AcceptedThenClosed()
    {
        await using var server = await StartServerAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        await using var first = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));
        await first.SendTextAsync("2probe");
        Assert.Equal("3probe", await first.ReceiveTextAsync());

        await using var second = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));

        await second.ExpectCloseAsync();
    }

    [Fact]
    public async Task Upgrade_NotCompletedInTime_CandidateClosedAndPollingContinues()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartServerAsync(o => o.UpgradeTimeout = TimeSpan.FromSeconds(10), time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri($"EIO=4&transport=websocket&sid={client.Sid}"));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());

        time.Advance(TimeSpan.FromSeconds(10));

        await ws.ExpectCloseAsync();
        await connection.SendAsync(EngineIOMessage.Text("polling"));
        Assert.Equal("4polling", await client.PollAsync());
        Assert.Equal(EngineIOTransportNames.Polling, connection.Transport);
    }

    [Fact]
    public async Task Upgrade_UnknownSid_Refused400WithTextMessage()
    {
        await using var server = await StartServerAsync();

        var (status, headers, body) = await RawUpgradeAsync(server.Port, "/engine.io/?EIO=4&transport=websocket&sid=unknown");

        Assert.Equal(400, status);
        Assert.Contains("Content-Type: text/html", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Session ID unknown", body);
        Assert.Equal(TypedSio.EngineIO.EngineIOErrorCode.SessionIdUnknown, Assert.Single(server.Errors).Code);
    }

    [Fact]
    public async Task Handshake_WebSocketWithEIO3Refused_Answers400WithText()
    {
        await using var server = await StartServerAsync();

        var (status, _, body) = await RawUpgradeAsync(server.Port, "/engine.io/?EIO=3&transport=websocket");

        Assert.Equal(400, status);
        Assert.Equal("Unsupported protocol version", body);
    }

    [Fact]
    public async Task Handshake_PollingOnlyServer_AnnouncesNoUpgradeAndRefusesWebSocket()
    {
        await using var server = await StartServerAsync(o =>
        {
            o.Transports.Clear();
            o.Transports.Add(EngineIOTransportNames.Polling);
        });

        var handshake = await new PollingClient(server).HandshakeAsync();
        var (status, _, body) = await RawUpgradeAsync(server.Port, "/engine.io/?EIO=4&transport=websocket");

        Assert.Contains("\"upgrades\":[]", handshake, StringComparison.Ordinal);
        Assert.Equal(400, status);
        Assert.Equal("Transport unknown", body);
    }

    [Fact]
    public async Task Handshake_PerMessageDeflateOn_EchoStillWorks()
    {
        await using var server = await StartEchoServerAsync(o => o.PerMessageDeflate = new EngineIOPerMessageDeflateOptions { Threshold = 16 });
        using var socket = new ClientWebSocket();
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"), CancellationToken.None);
        Assert.Contains("permessage-deflate", socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single(), StringComparison.Ordinal);
        var buffer = new byte[64 * 1024];
        var open = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal((byte)'0', buffer[0]);
        Assert.True(open.EndOfMessage);
        var big = "4" + new string('q', 5000);

        await socket.SendAsync(Encoding.UTF8.GetBytes(big), WebSocketMessageType.Text, true, CancellationToken.None);
        var received = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            received.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        Assert.Equal(big, Encoding.UTF8.GetString(received.ToArray()));
    }

    // An upgrade request written by hand, so the refusal's status line, headers and body can be read as sent.
    private static async Task<(int Status, string Headers, string Body)> RawUpgradeAsync(int port, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statusLine = await reader.ReadLineAsync().WaitAsync(EngineIOTestServer.Timeout);
        var headers = new StringBuilder();
        var length = 0;
        string? line;
        while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync()))
        {
            headers.AppendLine(line);
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new char[length];
        var read = 0;
        while (read < length)
        {
            read += await reader.ReadAsync(body.AsMemory(read));
        }

        return (int.Parse(statusLine!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers.ToString(), new string(body));
    }

    private Task<EngineIOTestServer> StartServerAsync(
        Action<EngineIOServerOptions>? configure = null,
        TimeProvider? time = null,
        Func<IEngineIOConnection, Task>? handler = null) =>
        EngineIOTestServer.StartAsync(configure, time, handler, ConnectionLevel);

    private Task<EngineIOTestServer> StartEchoServerAsync(Action<EngineIOServerOptions>? configure = null, TimeProvider? time = null) =>
        EngineIOTestServer.StartEchoAsync(configure, time, ConnectionLevel);
}

/// <summary>The same tests with the connection-level WebSocket path on.</summary>
public sealed class ConnectionLevelWebSocketTests : WebSocketTests
{
    protected override bool ConnectionLevel => true;
}
