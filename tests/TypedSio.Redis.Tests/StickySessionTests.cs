using System.Net;
using TypedSio.Client;
using TypedSio.Redis.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>Two TypedSio servers behind a round-robin balancer: long-polling needs sticky sessions, WebSocket-only does not.</summary>
public sealed class StickySessionTests
{
    [Fact]
    public async Task Polling_WithoutAffinity_FailsWithSessionIdUnknown()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var first = await DotnetServer.StartAsync(redis);
        await using var second = await DotnetServer.StartAsync(redis);
        await using var proxy = await AffinityProxy.StartAsync(cookieAffinity: false, first.Url, second.Url);
        using var http = new HttpClient();

        var open = await http.GetStringAsync($"{proxy.Url}/socket.io/?EIO=4&transport=polling");
        var sid = open[(open.IndexOf("\"sid\":\"", StringComparison.Ordinal) + 7)..].Split('"')[0];
        using var poll = await http.GetAsync($"{proxy.Url}/socket.io/?EIO=4&transport=polling&sid={sid}");

        Assert.Equal(HttpStatusCode.BadRequest, poll.StatusCode);
        Assert.Contains("\"code\":1", await poll.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_WithCookieAffinity_ConnectsAndReceivesClusterBroadcasts()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var first = await DotnetServer.StartAsync(redis);
        await using var second = await DotnetServer.StartAsync(redis);
        await using var proxy = await AffinityProxy.StartAsync(cookieAffinity: true, first.Url, second.Url);

        await using var a = await ConnectAsync(proxy.Url, EngineIOTransportKind.Polling);
        await using var b = await ConnectAsync(proxy.Url, EngineIOTransportKind.Polling);
        Assert.Single(first.Main.Sockets);
        Assert.Single(second.Main.Sockets);

        await first.Main.EmitAsync("hello", "cluster");
        Assert.Equal("[\"cluster\"]", await a.ReceivedAsync("hello"));
        Assert.Equal("[\"cluster\"]", await b.ReceivedAsync("hello"));
    }

    [Fact]
    public async Task WebSocketOnly_WithoutAffinity_Works()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var first = await DotnetServer.StartAsync(redis);
        await using var second = await DotnetServer.StartAsync(redis);
        await using var proxy = await AffinityProxy.StartAsync(cookieAffinity: false, first.Url, second.Url);

        await using var a = await ConnectAsync(proxy.Url, EngineIOTransportKind.WebSocket);
        await using var b = await ConnectAsync(proxy.Url, EngineIOTransportKind.WebSocket);
        Assert.Single(first.Main.Sockets);
        Assert.Single(second.Main.Sockets);

        await second.Main.EmitAsync("hello", "websocket");
        Assert.Equal("[\"websocket\"]", await a.ReceivedAsync("hello"));
        Assert.Equal("[\"websocket\"]", await b.ReceivedAsync("hello"));
    }

    private static async Task<ProxiedClient> ConnectAsync(string url, EngineIOTransportKind transport)
    {
        var options = new SocketIOManagerOptions { Reconnection = false, Upgrade = false };
        options.Transports.Clear();
        options.Transports.Add(transport);

        // The cookie jar keeps the balancer's affinity cookie, so every poll of this session reaches the same server.
        var cookies = new CookieContainer();
        options.ConfigureEngine = engine => engine.Cookies = cookies;
        var manager = new SocketIOManager(new Uri(url), options);
        var socket = manager.Socket();
        var client = new ProxiedClient(manager);
        socket.OnAny((name, arguments) => client.Received.Add($"{name} {JsonShow.Show(arguments)}"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(timeout.Token);
        return client;
    }

    private sealed class ProxiedClient(SocketIOManager manager) : IAsyncDisposable
    {
        public Lines Received { get; } = new();

        public async Task<string> ReceivedAsync(string eventName) => (await Received.WaitPrefixAsync(eventName + " "))[(eventName.Length + 1)..];

        public ValueTask DisposeAsync() => manager.DisposeAsync();
    }
}
