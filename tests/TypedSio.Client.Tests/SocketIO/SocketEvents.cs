using System.Threading.Channels;
using TypedSio.SocketIO;

namespace TypedSio.Client.Tests.SocketIO;

/// <summary>Records a socket's and its manager's events so tests can await them (generous timeouts, never sleeps).</summary>
public sealed class SocketEvents
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Channel<string> _connected = Channel.CreateUnbounded<string>();
    private readonly Channel<SocketIODisconnectedEventArgs> _disconnected = Channel.CreateUnbounded<SocketIODisconnectedEventArgs>();
    private readonly Channel<ConnectErrorException> _connectErrors = Channel.CreateUnbounded<ConnectErrorException>();
    private readonly Dictionary<string, Channel<object?[]>> _events = new(StringComparer.Ordinal);

    public SocketEvents(SocketIOSocket socket, params string[] events)
    {
        socket.Connected += (_, _) => _connected.Writer.TryWrite(socket.Id ?? "");
        socket.Disconnected += (_, e) => _disconnected.Writer.TryWrite(e);
        socket.ConnectError += (_, e) => _connectErrors.Writer.TryWrite(e);
        foreach (var name in events)
        {
            var channel = Channel.CreateUnbounded<object?[]>();
            _events[name] = channel;
            socket.On(name, (SocketIOArguments args) => channel.Writer.TryWrite(args.ToValues()));
        }
    }

    public Task<string> ConnectedAsync() => _connected.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public Task<SocketIODisconnectedEventArgs> DisconnectedAsync() => _disconnected.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public Task<ConnectErrorException> ConnectErrorAsync() => _connectErrors.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public Task<object?[]> NextAsync(string eventName) => _events[eventName].Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public bool HasDisconnected => _disconnected.Reader.Count > 0;
}
