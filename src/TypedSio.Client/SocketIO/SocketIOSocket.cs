using Microsoft.Extensions.Logging;
using TypedSio.SocketIO;
using TypedSio.Client.Internal;

namespace TypedSio.Client;

/// <summary>
/// A Socket.IO socket: the client's side of one namespace, multiplexed with the others over its
/// <see cref="SocketIOManager"/>'s connection. Emits while disconnected are buffered and sent in order on connect;
/// after a lost connection the manager reconnects and the socket connects again on its own.
/// </summary>
/// <remarks>
/// Handlers and events run on the connection's receive loop, one at a time in arrival order; a handler that blocks
/// holds up every namespace of the connection. Exceptions thrown by handlers are logged and otherwise ignored.
/// Emitting is thread-safe.
/// </remarks>
public sealed partial class SocketIOSocket
{
    private readonly SocketIOManager _manager;
    private readonly SocketIOSocketOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<SocketIOPacket> _receiveBuffer = [];
    private bool _connected;
    // Read without the lock: the manager checks it under its own lock, and taking ours there would invert the lock order.
    private volatile bool _active;
    private bool _connecting;
    private bool _recovered;
    private string? _id;
    private string? _pid;
    private string? _lastOffset;
    private TaskCompletionSource? _connectWaiter;

    internal SocketIOSocket(SocketIOManager manager, string nsp, SocketIOSocketOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBufferedPackets);
        _manager = manager;
        _options = options;
        _logger = manager.SocketLogger;
        Namespace = nsp;
    }

    /// <summary>Raised when the socket connected to its namespace (again, after a reconnection).</summary>
    public event EventHandler? Connected;

    /// <summary>Raised when a connected socket lost its namespace, with the reason.</summary>
    public event EventHandler<SocketIODisconnectedEventArgs>? Disconnected;

    /// <summary>
    /// Raised when a connection attempt failed: the connection could not be opened, or the namespace refused the socket
    /// (<see cref="NamespaceRefusedException"/>). <see cref="ConnectErrorException.WillRetry"/> says whether the manager
    /// tries again.
    /// </summary>
    public event EventHandler<ConnectErrorException>? ConnectError;

    /// <summary>The namespace, e.g. <c>/</c> or <c>/chat</c>.</summary>
    public string Namespace { get; }

    /// <summary>The manager whose connection the socket uses.</summary>
    public SocketIOManager Manager => _manager;

    /// <summary>Whether the socket is connected to its namespace.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    /// <summary>
    /// Whether the socket is connected or will (re)connect on its own: false before <see cref="ConnectAsync"/>, after
    /// <see cref="DisconnectAsync"/>, after the server disconnected it or its namespace refused it, and once the
    /// manager gave up reconnecting.
    /// </summary>
    public bool IsActive => _active;

    /// <summary>Whether the server restored the previous session on the last connection (connection state recovery).</summary>
    public bool IsRecovered
    {
        get
        {
            lock (_gate)
            {
                return _recovered;
            }
        }
    }

    /// <summary>The socket's id on the server while connected; null otherwise.</summary>
    public string? Id
    {
        get
        {
            lock (_gate)
            {
                return _id;
            }
        }
    }

    /// <summary>
    /// Connects the socket (opening the manager's connection if needed) and completes once the namespace accepted it.
    /// Throws the <see cref="ConnectErrorException"/> subtype of the first failure, with
    /// <see cref="ConnectErrorException.WillRetry"/> true when the manager keeps trying in the background (the socket
    /// then raises <see cref="Connected"/> later); a <see cref="ConnectTimeoutException"/> after
    /// <see cref="SocketIOManagerOptions.Timeout"/>; or <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled. Returns at once when already connected.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the socket stays active; call <see cref="DisconnectAsync"/> to stop it).</param>
    /// <returns>A task that completes when connected.</returns>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_connected)
            {
                return;
            }

            _active = true;
            waiter = _connectWaiter ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Log.Connecting(_logger, Namespace);
        _manager.Connect(this);
        var timeout = _manager.Options.Timeout;
        try
        {
            await waiter.Task.WaitAsync(timeout, _manager.TimeProvider, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            if (_manager.IsOpening || waiter.Task.IsCompleted)
            {
                // The Engine.IO handshake runs under the same timeout and reports the more precise failure at the same moment.
                await waiter.Task.WaitAsync(cancellationToken);
                return;
            }

            // With the connection open nothing re-sends CONNECT (a late answer still connects); otherwise the manager retries.
            var error = new ConnectTimeoutException(timeout, exception) { WillRetry = IsActive && !_manager.IsOpen };
            Log.ConnectTimedOut(_logger, Namespace, (long)timeout.TotalMilliseconds);
            Raise(ConnectError, error);
            throw error;
        }
    }

    /// <summary>
    /// Disconnects the socket: tells the server, fails the acknowledgements still awaited, raises
    /// <see cref="Disconnected"/> with <c>io client disconnect</c>, and closes the manager's connection when no other
    /// socket uses it. The socket can connect again later.
    /// </summary>
    /// <returns>A task that completes once the DISCONNECT packet was handed to the transport.</returns>
    public async Task DisconnectAsync()
    {
        bool wasConnected;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            wasConnected = _connected;
            _connected = false;
            _active = false;
            _connecting = false;
            _id = null;
            waiter = _connectWaiter;
            _connectWaiter = null;
        }

        if (wasConnected)
        {
            Log.Disconnecting(_logger, Namespace);
            if (_manager.TryWritePacket(SocketIOPacket.CreateDisconnect(Namespace)) is { } write)
            {
                await IgnoreFailureAsync(write);
            }
        }

        waiter?.TrySetCanceled();
        _manager.OnSocketInactive();
        if (wasConnected)
        {
            OnClosed("io client disconnect", null, willReconnect: false);
        }
    }

    /// <summary>The connection opened: ask the namespace to accept the socket (once per connection).</summary>
    internal void OnManagerOpen()
    {
        lock (_gate)
        {
            if (!_active || _connected || _connecting)
            {
                return;
            }

            _connecting = true;
        }

        _ = SendConnectPacketAsync();
    }

    /// <summary>A connection attempt failed.</summary>
    internal void OnManagerError(ConnectErrorException error, bool willRetry)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (!_active || _connected)
            {
                return;
            }

            _connecting = false;
            _active = willRetry;
            waiter = _connectWaiter;
            _connectWaiter = null;
        }

        Log.ConnectError(_logger, Namespace, error.WillRetry, error);
        waiter?.TrySetException(error);
        Raise(ConnectError, error);
    }

    /// <summary>The connection was lost.</summary>
    internal void OnManagerClose(string reason, Exception? exception, bool willReconnect)
    {
        TaskCompletionSource? waiter = null;
        bool wasConnected;
        lock (_gate)
        {
            wasConnected = _connected;
            _connecting = false;
            _receiveBuffer.Clear();
            if (!willReconnect)
            {
                _active = false;
            }

            if (!_connected)
            {
                if (!willReconnect)
                {
                    waiter = _connectWaiter;
                    _connectWaiter = null;
                }
            }
            else
            {
                _connected = false;
                _id = null;
            }
        }

        if (waiter is not null)
        {
            // The connection went away while the namespace's answer was awaited, and nothing will bring it back.
            var error = exception as ConnectErrorException
                ?? new ServerUnreachableException(_manager.Uri.Host, _manager.Uri.Port, new IOException($"The connection closed ({reason}) before namespace '{Namespace}' answered.", exception));
            error.WillRetry = false;
            Log.ConnectError(_logger, Namespace, false, error);
            waiter.TrySetException(error);
            Raise(ConnectError, error);
            return;
        }

        if (wasConnected)
        {
            OnClosed(reason, exception, willReconnect);
        }
    }

    /// <summary>The manager stopped reconnecting.</summary>
    internal void OnManagerGaveUp()
    {
        lock (_gate)
        {
            _active = false;
        }
    }

    /// <summary>The manager was disposed.</summary>
    internal void OnManagerDisposed()
    {
        bool wasConnected;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            wasConnected = _connected;
            _connected = false;
            _active = false;
            _connecting = false;
            _id = null;
            waiter = _connectWaiter;
            _connectWaiter = null;
        }

        waiter?.TrySetException(new ObjectDisposedException(nameof(SocketIOManager)));
        if (wasConnected)
        {
            OnClosed("io client disconnect", null, willReconnect: false);
        }
    }

    private void OnClosed(string reason, Exception? exception, bool willReconnect)
    {
        Log.Closed(_logger, Namespace, reason);
        EndConnection();
        FailAcks(reason);
        Raise(Disconnected, new SocketIODisconnectedEventArgs(reason, exception) { WillReconnect = willReconnect });
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task;
        }
#pragma warning disable CA1031 // The connection is closing anyway; its loss is reported as a disconnect.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args) =>
        EventRaiser.Raise(this, handler, args, exception => Log.HandlerFailed(_logger, exception));

    private void Raise(EventHandler? handler) =>
        EventRaiser.Raise(this, handler, exception => Log.HandlerFailed(_logger, exception));
}
