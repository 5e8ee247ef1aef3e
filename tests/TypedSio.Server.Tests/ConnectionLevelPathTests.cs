using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSio.EngineIO;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Server.Tests;

/// <summary>What <c>UseEngineIOWebSockets</c> takes, what it leaves to ASP.NET Core, and what it records.</summary>
public sealed class ConnectionLevelPathTests
{
    private const string Path = "/engine.io/?EIO=4&transport=websocket";

    [Fact]
    public async Task NewSession_RecordsTheRequestAsTheHttpPathWould()
    {
        await using var server = await EngineIOTestServer.StartAsync(connectionLevel: true);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path + "&token=a%20b&token=c", "X-Tenant: blue\r\nX-Tenant: green\r\nOrigin: http://example.test\r\n");
        await ws.ReceiveTextAsync();

        var request = (await server.NextConnectionAsync()).Request;

        Assert.Equal(1, server.Server.ConnectionLevelSockets);
        Assert.Equal("/engine.io/", request.Path.Value);
        Assert.Equal("a b,c", request.Query["token"].ToString());
        Assert.Equal("websocket", request.Query["transport"].ToString());
        Assert.Equal("blue,green", request.Headers["x-tenant"].ToString());
        Assert.Equal("http://example.test", request.Headers.Origin.ToString());
        Assert.Equal(IPAddress.Loopback, request.RemoteIpAddress);
        Assert.NotEqual(0, request.RemotePort);
        Assert.False(request.IsHttps);
        Assert.False(request.User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task PollingThenUpgrade_PollsGoToAspNetCore_TheUpgradeDoesNot()
    {
        await using var server = await EngineIOTestServer.StartAsync(connectionLevel: true);
        var polling = new PollingClient(server);
        await polling.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path + "&sid=" + polling.Sid);
        await ws.SendAsync(RawWebSocket.Text("2probe"));
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        Assert.Equal("6", await polling.PollAsync());
        await ws.SendAsync(RawWebSocket.Text("5"));
        await ws.SendAsync(RawWebSocket.Text("4after"));

        await using var messages = connection.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await messages.MoveNextAsync().AsTask().WaitAsync(EngineIOTestServer.Timeout));
        Assert.Equal("after", messages.Current.GetText());
        Assert.Equal(EngineIOTransportNames.WebSocket, connection.Transport);
        Assert.Equal(1, server.Server.ConnectionLevelSockets);
    }

    [Fact]
    public async Task UnknownSid_IsRefusedByTheHttpPath_WithItsErrorCode()
    {
        await using var server = await EngineIOTestServer.StartAsync(connectionLevel: true);

        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path + "&sid=nope");

        Assert.StartsWith("HTTP/1.1 400 ", ws.Response);
        Assert.Equal(EngineIOErrorCode.SessionIdUnknown, Assert.Single(server.Errors).Code);
        Assert.Equal(0, server.Server.ConnectionLevelSockets);
    }

    [Fact]
    public async Task AllowRequest_IsStillAsked_OnTheHttpPath()
    {
        var asked = 0;
        await using var server = await EngineIOTestServer.StartAsync(
            o => o.AllowRequest = context =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult((context.Request.Headers["X-Key"] == "ok", (string?)"no key"));
            },
            connectionLevel: true);

        await using var refused = await RawWebSocket.ConnectAsync(server.Port, Path);
        await using var allowed = await RawWebSocket.ConnectAsync(server.Port, Path, "X-Key: ok\r\n");

        Assert.StartsWith("HTTP/1.1 400 ", refused.Response);
        Assert.StartsWith("HTTP/1.1 101 ", allowed.Response);
        Assert.StartsWith("0{", await allowed.ReceiveTextAsync());
        Assert.Equal(2, asked);
        Assert.Equal(0, server.Server.ConnectionLevelSockets);
    }

    [Fact]
    public async Task EndpointWithConventions_IsNeverTaken_SoItsPipelineRuns()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.UseEngineIOWebSockets()));
        builder.Logging.ClearProviders();
        builder.Services.AddEngineIO();
        await using var app = builder.Build();
        var seen = 0;
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref seen);
            return next(context);
        });
        var endpoint = app.MapEngineIO(c => c.Closed).WithMetadata(new object());
        await app.StartAsync();

        await using (var ws = await RawWebSocket.ConnectAsync(port, Path))
        {
            Assert.StartsWith("0{", await ws.ReceiveTextAsync());
        }

        Assert.Equal(1, seen);
        Assert.Equal(0, endpoint.Server.ConnectionLevelSockets);
        await app.StopAsync();
    }

    [Fact]
    public async Task OtherRequestsOnTheListener_AreServedByAspNetCore()
    {
        await using var server = await EngineIOTestServer.StartAsync(connectionLevel: true);

        using var notFound = await server.Http.GetAsync(server.HttpBase + "/elsewhere");
        using var polling = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));
        await using var other = await RawWebSocket.ConnectAsync(server.Port, "/elsewhere?EIO=4&transport=websocket");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.StartsWith("0{", await polling.Content.ReadAsStringAsync());
        Assert.StartsWith("HTTP/1.1 404 ", other.Response);
        Assert.Equal(0, server.Server.ConnectionLevelSockets);
    }

    [Fact]
    public async Task RequestSplitAcrossWrites_IsStillAnswered()
    {
        // Only a request complete in the connection's first read is taken here; one that trickles in is left whole to
        // Kestrel. Which of the two reads it first depends on timing, so only the outcome is asserted.
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: true);
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = tcp.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {Path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

        await stream.WriteAsync(request.AsMemory(0, 20));
        await Task.Yield();
        await stream.WriteAsync(request.AsMemory(20));
        var response = new byte[12];
        await stream.ReadExactlyAsync(response).AsTask().WaitAsync(EngineIOTestServer.Timeout);

        Assert.Equal("HTTP/1.1 101", Encoding.ASCII.GetString(response));
        await server.NextConnectionAsync();
    }

    [Fact]
    public void WithoutAddEngineIO_UseEngineIOWebSockets_SaysWhatIsMissing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.UseEngineIOWebSockets()));
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.StartAsync().GetAwaiter().GetResult());

        Assert.Contains("AddEngineIO or AddSocketIO", error.Message);
    }
}

public sealed class EngineIOUpgradeRequestTests
{
    private const string Valid = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
        + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";

    [Fact]
    public void CompleteUpgrade_IsParsed_WithItsLength()
    {
        var bytes = Encoding.ASCII.GetBytes(Valid + "\x81\x80");

        var request = EngineIOUpgradeRequest.TryParse(new System.Buffers.ReadOnlySequence<byte>(bytes), out var length);

        Assert.NotNull(request);
        Assert.Equal(Valid.Length, length);
        Assert.Equal("/socket.io/", request.Path);
        Assert.Equal("4", request.Query["EIO"].ToString());
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", request.Key);
        Assert.True(request.OffersDeflate);
    }

    [Theory]
    [InlineData("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\n")] // incomplete
    [InlineData("POST /socket.io/ HTTP/1.1\r\n")]
    [InlineData("\x16\x03\x01\x02\x00\x01\x00\x01")] // a TLS ClientHello
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    public void NotACompleteUpgrade_IsLeftAlone(string start)
    {
        Assert.Null(EngineIOUpgradeRequest.TryParse(new System.Buffers.ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(start)), out _));
    }

    [Theory]
    [InlineData(" HTTP/1.1\r\n", " HTTP/1.0\r\n")]
    [InlineData("Host: h\r\n", "")]
    [InlineData("Host: h\r\n", "Host: h\r\nHost: i\r\n")]
    [InlineData("Upgrade: websocket", "Upgrade: h2c")]
    [InlineData("keep-alive, Upgrade", "keep-alive")]
    [InlineData("Version: 13", "Version: 8")]
    [InlineData("ZQ==", "ZQ")]
    [InlineData("/socket.io/", "/socket%2Eio/")]
    [InlineData("Host: h\r\n", "Host: h\r\nContent-Length: 0\r\n")]
    [InlineData("Host: h\r\n", "Host: h\r\n folded\r\n")]
    [InlineData("Host: h\r\n", "Host: h\n")]
    [InlineData("Host: h", "Host: \u00e9")]
    public void UnusualRequest_IsLeftToKestrel(string replace, string with)
    {
        var text = Valid.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);

        Assert.Null(EngineIOUpgradeRequest.TryParse(new System.Buffers.ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), out _));
    }
}

public sealed class ConnectionLevelTlsTests
{
    [Fact]
    public async Task AfterUseHttps_TheDecryptedHandshakeIsTaken_AndRecordedAsHttps()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            l.UseHttps(certificate);
            l.UseEngineIOWebSockets(); // after TLS: it sees the decrypted bytes
        }));
        builder.Logging.ClearProviders();
        builder.Services.AddEngineIO();
        await using var app = builder.Build();
        var connected = new TaskCompletionSource<IEngineIOConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = app.MapEngineIO(c =>
        {
            connected.TrySetResult(c);
            return c.Closed;
        });
        await app.StartAsync();

        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        // Trust exactly the certificate this test made.
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var connection = await connected.Task.WaitAsync(EngineIOTestServer.Timeout);
        var head = new byte[12];
        await tls.ReadExactlyAsync(head).AsTask().WaitAsync(EngineIOTestServer.Timeout);

        Assert.Equal("HTTP/1.1 101", Encoding.ASCII.GetString(head));
        Assert.True(connection.Request.IsHttps);
        Assert.Equal(1, endpoint.Server.ConnectionLevelSockets);
        await app.StopAsync();
    }
}
