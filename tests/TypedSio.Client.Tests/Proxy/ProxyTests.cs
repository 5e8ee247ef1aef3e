using System.Net;
using TypedSio.Client.Tests.SocketIO;
using TypedSio.Client.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Client.Tests.Proxy;

/// <summary>The <see cref="EngineIOClientOptions.Proxy"/> option carries both transports, and a failing proxy is reported as such.</summary>
public sealed class ProxyTests
{
    [Fact]
    public async Task Polling_ThroughProxy_SendsEveryRequestInAbsoluteForm()
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var proxy = new TestHttpProxy();
        var options = server.ClientOptions(EngineIOTransportKind.Polling);
        options.Proxy = new WebProxy(proxy.Uri);
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);

        await client.OpenAsync();
        await client.SendAsync("through the proxy");

        Assert.Equal("through the proxy", (await events.NextMessageAsync()).Text);
        Assert.Contains(proxy.Requests, line => line.StartsWith($"GET {server.Uri}engine.io/?", StringComparison.Ordinal));
        Assert.Contains(proxy.Requests, line => line.StartsWith($"POST {server.Uri}engine.io/?", StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Requests, line => line.StartsWith("CONNECT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSocket_ThroughProxy_OpensConnectTunnel()
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var proxy = new TestHttpProxy();
        var options = server.ClientOptions(EngineIOTransportKind.WebSocket);
        options.Proxy = new WebProxy(proxy.Uri);
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);

        await client.OpenAsync();
        await client.SendAsync("tunnelled");

        Assert.Equal("tunnelled", (await events.NextMessageAsync()).Text);
        Assert.Equal([$"CONNECT 127.0.0.1:{server.Port} HTTP/1.1"], proxy.Requests);
    }

    [Fact]
    public async Task Upgrade_ThroughProxy_CarriesPollingAndWebSocket()
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var proxy = new TestHttpProxy();
        var options = server.ClientOptions();
        options.Proxy = new WebProxy(proxy.Uri);
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);

        await client.OpenAsync();

        Assert.Equal(EngineIOTransportKind.WebSocket, await events.Upgraded);
        await client.SendAsync("after upgrade");
        Assert.Equal("after upgrade", (await events.NextMessageAsync()).Text);
        Assert.Contains(proxy.Requests, line => line.StartsWith($"GET {server.Uri}engine.io/?", StringComparison.Ordinal));
        Assert.Contains($"CONNECT 127.0.0.1:{server.Port} HTTP/1.1", proxy.Requests);
    }

    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task OpenAsync_ProxyDemandsAuthentication_ThrowsProxyFailedNamingTheProxy(EngineIOTransportKind transport)
    {
        await using var server = await ReferenceServer.StartAsync();
        await using var proxy = new TestHttpProxy(refuseWith: 407);
        var options = server.ClientOptions(transport);
        options.Proxy = new WebProxy(proxy.Uri);
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<ProxyFailedException>(() => client.OpenAsync());

        Assert.Equal(proxy.Uri, error.Proxy);
        Assert.Equal(407, error.HttpStatus);
        Assert.Contains(proxy.Uri.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task OpenAsync_ProxyNotListening_ThrowsProxyFailedNamingTheProxy(EngineIOTransportKind transport)
    {
        await using var server = await ReferenceServer.StartAsync();
        var proxyUri = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var options = server.ClientOptions(transport);
        options.Proxy = new WebProxy(proxyUri);
        await using var client = new EngineIOClient(options);

        var error = await Assert.ThrowsAsync<ProxyFailedException>(() => client.OpenAsync());

        Assert.Equal(proxyUri, error.Proxy);
        Assert.Null(error.HttpStatus);
        Assert.Contains(proxyUri.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocketIOManager_ProxyViaConfigureEngine_ConnectsThroughProxy()
    {
        await using var server = await SocketServer.StartAsync();
        await using var proxy = new TestHttpProxy();
        await using var manager = server.CreateManager(TransportMode.Upgrade, configure: options =>
            options.ConfigureEngine = engine => engine.Proxy = new WebProxy(proxy.Uri));
        var socket = manager.Socket("/");

        await socket.ConnectAsync();

        Assert.True(socket.IsConnected);
        Assert.Contains(proxy.Requests, line => line.StartsWith($"GET {server.Uri}socket.io/?", StringComparison.Ordinal));
    }
}
