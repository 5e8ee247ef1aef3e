using Xunit.Abstractions;
using System.Globalization;
using System.Text.Json;
using TypedSio.Testing;

namespace TypedSio.Client.Tests.SocketIO;

/// <summary>How a test's client reaches the server: one transport, or polling upgraded to WebSocket.</summary>
public enum TransportMode
{
    Polling,
    WebSocket,
    Upgrade,
}

/// <summary>The official socket.io server (tests/js/client-socket-server.mjs) on a free loopback port.</summary>
public sealed class SocketServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private SocketServer(NodeProcess node, int port)
    {
        Node = node;
        Port = port;
    }

    public NodeProcess Node { get; }

    public int Port { get; }

    public Uri Uri => new($"http://127.0.0.1:{Port}");

    public static async Task<SocketServer> StartAsync(Dictionary<string, object?>? options = null)
    {
        var port = FreePort.Next();
        var json = JsonSerializer.Serialize(options ?? new Dictionary<string, object?>());
        var node = await NodeProcess.StartAsync("client-socket-server.mjs", [port.ToString(CultureInfo.InvariantCulture), json]);
        return new SocketServer(node, port);
    }

    /// <summary>Manager options for this server: the transports of a mode, fast reconnection, logs to the test output.</summary>
    public static SocketIOManagerOptions Options(TransportMode mode, ITestOutputHelper? output = null)
    {
        var options = new SocketIOManagerOptions
        {
            ReconnectionDelay = TimeSpan.FromMilliseconds(100),
            ReconnectionDelayMax = TimeSpan.FromMilliseconds(500),
            LoggerFactory = output is null ? null : new Support.TestOutputLoggerFactory(output),
        };
        options.Transports.Clear();
        switch (mode)
        {
            case TransportMode.Polling:
                options.Transports.Add(EngineIOTransportKind.Polling);
                break;
            case TransportMode.WebSocket:
                options.Transports.Add(EngineIOTransportKind.WebSocket);
                break;
            default:
                options.Transports.Add(EngineIOTransportKind.Polling);
                options.Transports.Add(EngineIOTransportKind.WebSocket);
                break;
        }

        return options;
    }

    public SocketIOManager CreateManager(TransportMode mode, ITestOutputHelper? output = null, Action<SocketIOManagerOptions>? configure = null)
    {
        var options = Options(mode, output);
        configure?.Invoke(options);
        return new SocketIOManager(Uri, options);
    }

    /// <summary>Waits for the next server line starting with a prefix and returns its space-separated fields (the last one takes the rest).</summary>
    public async Task<string[]> WaitForLineAsync(string prefix, int fields = 6) =>
        (await Node.WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), Patience)).Split(' ', fields);

    /// <summary>Waits for the server to report a socket's disconnection and returns the reason.</summary>
    public async Task<string> WaitForDisconnectAsync(string nsp) => (await WaitForLineAsync($"DISCONNECTED {nsp} ", 4))[3];

    /// <summary>Sends a command to the server and waits for its answer.</summary>
    public async Task CommandAsync(string command, string answer)
    {
        await Node.SendLineAsync(command);
        await WaitForLineAsync(answer);
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
