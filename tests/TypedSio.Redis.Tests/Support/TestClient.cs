using TypedSio.Client;

namespace TypedSio.Redis.Tests.Support;

/// <summary>A TypedSio client socket recording every event it receives as "event json-args" lines.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    private readonly SocketIOManager _manager;

    private TestClient(SocketIOManager manager, SocketIOSocket socket)
    {
        _manager = manager;
        Socket = socket;
    }

    public SocketIOSocket Socket { get; }

    public string Id => Socket.Id!;

    public Lines Received { get; } = new();

    public static async Task<TestClient> ConnectAsync(string url, string nsp = "/")
    {
        var options = new SocketIOManagerOptions { Reconnection = false };
        options.Transports.Clear();
        options.Transports.Add(EngineIOTransportKind.WebSocket);
        var manager = new SocketIOManager(new Uri(url), options);
        var socket = manager.Socket(nsp);
        var client = new TestClient(manager, socket);
        socket.OnAny((name, arguments) => client.Received.Add($"{name} {JsonShow.Show(arguments)}"));
        socket.On("ask-client", (arguments, ack) => ack.SendAsync(new Dictionary<string, object?> { ["client"] = "dotnet", ["args"] = arguments.ToValues() }));
        await socket.ConnectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        return client;
    }

    public async Task JoinAsync(string room) => await Socket.EmitWithAckAsync("join", [room], TimeSpan.FromSeconds(20), CancellationToken.None);

    public async Task<string> ReceivedAsync(string eventName, TimeSpan? timeout = null)
    {
        var line = await Received.WaitPrefixAsync(eventName + " ", timeout);
        return line[(eventName.Length + 1)..];
    }

    public bool HasReceived(string eventName) => Received.All.Any(l => l.StartsWith(eventName + " ", StringComparison.Ordinal));

    public async ValueTask DisposeAsync() => await _manager.DisposeAsync();
}
