using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using TypedSio.Doctor.Diagnosis;
using TypedSio.Doctor.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Doctor.Tests;

/// <summary>The doctor against things that are not a healthy Socket.IO v4 server.</summary>
public sealed class ForeignServerTests
{
    [Fact]
    public async Task Doctor_ClosedPort_SaysNothingListens()
    {
        // Bound but not listening: the port stays ours, so nothing else can start listening on it during the test.
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port;

        var report = await Diagnose.RunAsync($"http://127.0.0.1:{port}");

        var tcp = report.Verdict("tcp", CheckVerdict.Fail);
        tcp.Says("refused the connection");
        tcp.Says("nothing listens on that port");
        report.Verdict("handshake", CheckVerdict.Skip);
        Assert.False(report.Healthy);
    }

    [Fact]
    public async Task Doctor_PortThatNeverAnswers_SaysItIsNotAnsweringHttp()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        // The kernel completes the TCP handshake from the backlog; nothing ever reads or answers.
        var report = await Diagnose.RunAsync($"http://127.0.0.1:{port}", stepSeconds: 2);

        report.Verdict("tcp", CheckVerdict.Pass);
        report.Verdict("handshake", CheckVerdict.Fail).Says("no HTTP answer within 2 s");
    }

    [Fact]
    public async Task Doctor_PortSpeakingAnotherProtocol_SaysItIsNotHttp()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var banners = Task.Run(async () =>
        {
            // Every connection gets an SSH-style banner and is closed.
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                await client.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray());
            }
        });

        var report = await Diagnose.RunAsync($"http://127.0.0.1:{port}");

        report.Verdict("handshake", CheckVerdict.Fail).Says("does not speak HTTP");
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => banners);
    }

    [Fact]
    public async Task Doctor_UnresolvableHost_FailsDns()
    {
        var report = await Diagnose.RunAsync("http://doctor-test.invalid:3000");

        report.Verdict("dns", CheckVerdict.Fail).Says("does not resolve");
        report.Verdict("tcp", CheckVerdict.Skip);
    }

    [Fact]
    public async Task Doctor_WebApplicationServingHtml_SaysItIsNotSocketIO()
    {
        await using var server = await TestServer.StartStubAsync(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync("<!doctype html><html><body>My app</body></html>");
        });

        var report = await Diagnose.RunAsync(server.Url);

        var handshake = report.Verdict("handshake", CheckVerdict.Fail);
        handshake.Says("an HTML page");
        handshake.Says("catch-all route");
        report.Verdict("websocket", CheckVerdict.Skip);
    }

    [Fact]
    public async Task Doctor_NotFound_SaysThePathIsWrong()
    {
        await using var server = await TestServer.StartStubAsync(context =>
        {
            context.Response.StatusCode = 404;
            return context.Response.WriteAsync("Cannot GET /socket.io/");
        });

        var report = await Diagnose.RunAsync(server.Url);

        var handshake = report.Verdict("handshake", CheckVerdict.Fail);
        handshake.Says("HTTP 404");
        handshake.Says("another path");
    }

    [Fact]
    public async Task Doctor_ProxyError_SaysTheUpstreamIsDown()
    {
        await using var server = await TestServer.StartStubAsync(context =>
        {
            context.Response.StatusCode = 502;
            context.Response.Headers.Server = "nginx";
            return context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>");
        });

        var report = await Diagnose.RunAsync(server.Url);

        report.Verdict("handshake", CheckVerdict.Fail).Says("the proxy could not reach the Socket.IO server");
    }

    [Fact]
    public async Task Doctor_SocketIOV2Server_SaysItSpeaksEngineIO3Only()
    {
        // Socket.IO 2.x: Engine.IO 3 handshakes with the v3 length-prefixed payload, error 5 for EIO=4.
        await using var server = await TestServer.StartStubAsync(context =>
        {
            if (context.Request.Query["EIO"] == "3")
            {
                const string open = """0{"sid":"v2-sid","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}""";
                return context.Response.WriteAsync($"{open.Length}:{open}");
            }

            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"code":5,"message":"Unsupported protocol version"}""");
        });

        var report = await Diagnose.RunAsync(server.Url);

        var handshake = report.Verdict("handshake", CheckVerdict.Fail);
        handshake.Says("error 5");
        handshake.Says("allowEIO3");
        handshake.Says("Engine.IO 3 client");
        report.Verdict("protocol", CheckVerdict.Fail).Says("Socket.IO v2 server");
        report.Verdict("websocket", CheckVerdict.Skip);
    }

    [Fact]
    public async Task Doctor_ProxyStripsUpgradeHeader_SaysSo()
    {
        // What engine.io answers when the upgrade request reaches it without 'Upgrade': error 3 over plain HTTP.
        await using var server = await TestServer.StartStubAsync(context =>
        {
            var query = context.Request.Query;
            if (query["transport"] == "websocket")
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync("""{"code":3,"message":"Bad request"}""");
            }

            if (HttpMethods.IsPost(context.Request.Method))
            {
                return context.Response.WriteAsync("ok");
            }

            return context.Response.WriteAsync(query.ContainsKey("sid") ? "1"
                : """0{"sid":"s1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}""");
        });

        var report = await Diagnose.RunAsync(server.Url, heartbeats: 0);

        report.Verdict("handshake", CheckVerdict.Pass);
        var websocket = report.Verdict("websocket", CheckVerdict.Fail);
        websocket.Says("strips the 'Upgrade' and 'Connection' headers");
        websocket.Says("proxy_set_header Upgrade");
        report.Verdict("upgrade", CheckVerdict.Warn);
    }

    [Fact]
    public async Task Doctor_InstancesWithoutStickySessions_SaysSo()
    {
        // The handshake reached one instance, the next request of the session another that never saw it.
        await using var server = await TestServer.StartStubAsync(context =>
        {
            if (context.Request.Query.ContainsKey("sid"))
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync("""{"code":1,"message":"Session ID unknown"}""");
            }

            return context.Response.WriteAsync("""0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}""");
        });

        var report = await Diagnose.RunAsync(server.Url, heartbeats: 0);

        var session = report.Verdict("session", CheckVerdict.Fail);
        session.Says("error 1");
        session.Says("without sticky sessions");
    }

    [Fact]
    public async Task Doctor_ServerStopsPinging_FailsTheHeartbeatWithPingTimeout()
    {
        // A WebSocket-only server that answers CONNECT and then never pings, as behind a proxy that buffers or drops them.
        await using var server = await TestServer.StartStubAsync(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"code":0,"message":"Transport unknown"}""");
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await SendAsync(socket, """0{"sid":"s1","upgrades":[],"pingInterval":200,"pingTimeout":200,"maxPayload":1000000}""");
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    return;
                }

                if (System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count) == "40")
                {
                    await SendAsync(socket, """40{"sid":"io-1"}""");
                }
            }
        });

        var report = await Diagnose.RunAsync(server.Url, heartbeats: 1);

        report.Verdict("handshake", CheckVerdict.Warn);
        report.Verdict("namespace", CheckVerdict.Pass);
        var heartbeat = report.Verdict("heartbeat", CheckVerdict.Fail);
        heartbeat.Says("ping timeout after 0 of 1 pings");
        heartbeat.Says("proxy_read_timeout");
    }

    private static Task SendAsync(System.Net.WebSockets.WebSocket socket, string text) =>
        socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(text), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
}
