using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedSio.SocketIO;
using TypedSio.Client.Internal;

namespace TypedSio.Client;

/// <summary>
/// One Engine.IO connection shared by the sockets of every namespace of a server, and the loop that re-opens it with
/// exponential backoff when it fails or is lost. Create sockets with <see cref="Socket"/>; the connection opens when
/// the first socket connects and closes when the last one disconnects.
/// </summary>
/// <remarks>
/// Events are raised on the connection's receive loop or on a timer, never concurrently for one manager; a handler that
/// blocks holds up the connection. Exceptions thrown by handlers are logged and otherwise ignored.
/// </remarks>
public sealed partial class SocketIOManager : IAsyncDisposable
{
    private readonly SocketIOManagerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Lock _writeGate = new();
    private readonly Dictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly SocketIOBackoff _backoff;
    private readonly CancellationTokenSource _disposed = new();
    private ManagerState _state;
    private EngineIOClient? _engine;
    private SocketIODecoder _decoder = new();
    // The attempt in progress (0: none). An attempt abandoned by OnSocketInactive keeps running until its engine
    // closes, but no longer counts: its id no longer matches, so a new attempt can start at once.
    private int _openingId;
    private int _lastAttemptId;
    private bool _reportingOpen;
    private bool _skipReconnect;
    private string? _closeReason;

    /// <summary>Creates a manager; nothing connects until a socket's <see cref="SocketIOSocket.ConnectAsync"/>.</summary>
    /// <param name="uri">The server, e.g. <c>http://localhost:3000</c>; a query string in it is sent with every request.</param>
    /// <param name="options">Connection and reconnection settings; defaults as socket.io-client's.</param>
    public SocketIOManager(Uri uri, SocketIOManagerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        _options = options ?? new SocketIOManagerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.ReconnectionAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Timeout, TimeSpan.Zero);
        Uri = uri;
        _logger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("TypedSio.Client.Manager");
        SocketLogger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("TypedSio.Client.Socket");
        var random = _options.Random ?? Random.Shared.NextDouble;
        _backoff = new SocketIOBackoff(
            _options.ReconnectionDelay, _options.ReconnectionDelayMax, Math.Clamp(_options.RandomizationFactor, 0, 1), random);
    }

    /// <summary>Raised before each reconnection attempt, with its number (1 for the first).</summary>
    public event EventHandler<int>? ReconnectAttempt;

    /// <summary>Raised when a reconnection attempt failed; <see cref="ConnectErrorException.WillRetry"/> says whether another follows.</summary>
    public event EventHandler<ConnectErrorException>? ReconnectError;

    /// <summary>Raised when the manager gave up reconnecting (attempts exhausted, or an error not worth retrying).</summary>
    public event EventHandler? ReconnectFailed;

    /// <summary>Raised when a reconnection attempt succeeded, with the number of attempts it took.</summary>
    public event EventHandler<int>? Reconnected;

    /// <summary>The server's address.</summary>
    public Uri Uri { get; }

    /// <summary>Whether the Engine.IO connection is open.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _state == ManagerState.Open;
            }
        }
    }

    /// <summary>The transport of the open connection, if any.</summary>
    public EngineIOTransportKind? Transport => _engine?.Transport;

    /// <summary>Whether a reconnection attempt is scheduled or in progress.</summary>
    public bool IsReconnecting
    {
        get
        {
            lock (_gate)
            {
                return _reconnecting;
            }
        }
    }

    internal SocketIOManagerOptions Options => _options;

    /// <summary>Whether a connection attempt is in progress (its Engine.IO handshake is bounded by the same timeout).</summary>
    internal bool IsOpening
    {
        get
        {
            lock (_gate)
            {
                return _openingId != 0 || _reportingOpen;
            }
        }
    }

    internal ILogger SocketLogger { get; }

    internal TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>
    /// The socket of a namespace, created on first use; later calls return the same socket (and ignore
    /// <paramref name="options"/>). For a second, independent socket on the same namespace, use another manager.
    /// </summary>
    /// <param name="nsp">The namespace, e.g. <c>/</c> or <c>/chat</c>.</param>
    /// <param name="options">The socket's options.</param>
    /// <returns>The socket; call <see cref="SocketIOSocket.ConnectAsync"/> to connect it.</returns>
    public SocketIOSocket Socket(string nsp = "/", SocketIOSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (!nsp.StartsWith('/'))
        {
            nsp = "/" + nsp;
        }

        lock (_gate)
        {
            if (!_sockets.TryGetValue(nsp, out var socket))
            {
                socket = new SocketIOSocket(this, nsp, options ?? new SocketIOSocketOptions());
                _sockets.Add(nsp, socket);
            }

            return socket;
        }
    }

    /// <summary>
    /// Stops reconnecting, disconnects every socket (reason <c>io client disconnect</c>) and closes the connection.
    /// </summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        SocketIOSocket[] connected;
        lock (_gate)
        {
            connected = _disposed.IsCancellationRequested ? [] : [.. _sockets.Values.Where(s => s.IsActive)];
        }

        foreach (var socket in connected)
        {
            // Tells the server each namespace is left on purpose (it sees "client namespace disconnect", not a lost transport).
            await socket.DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        EngineIOClient? engine;
        SocketIOSocket[] sockets;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            _skipReconnect = true;
            CancelReconnectTimer();
            engine = _engine;
            _engine = null;
            _state = ManagerState.Closed;
            sockets = [.. _sockets.Values];
        }

        foreach (var socket in sockets)
        {
            socket.OnManagerDisposed();
        }

        if (engine is not null)
        {
            await engine.DisposeAsync();
        }
    }

    /// <summary>A socket wants the connection: open it, or tell the socket it is already open.</summary>
    internal void Connect(SocketIOSocket socket)
    {
        bool open, start;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            open = _state == ManagerState.Open;

            // While a reconnection is scheduled the timer opens the connection; starting another would defeat the backoff.
            start = !open && _openingId == 0 && !_reconnecting;
            if (start)
            {
                _skipReconnect = false;
                _state = ManagerState.Opening;
                var id = _openingId = ++_lastAttemptId;
                _ = Task.Run(() => OpenAsync(isReconnect: false, id));
            }
        }

        if (open)
        {
            socket.OnManagerOpen();
        }
    }

    /// <summary>A socket left (disconnected, refused, or disconnected by the server); the last one closes the connection.</summary>
    internal void OnSocketInactive()
    {
        EngineIOClient? engine;
        lock (_gate)
        {
            if (_sockets.Values.Any(s => s.IsActive))
            {
                return;
            }

            Log.ClosingUnused(_logger);
            _skipReconnect = true;
            CancelReconnectTimer();
            _backoff.Reset();
            engine = _engine;
            _engine = null;
            _state = ManagerState.Closed;
            _closeReason = null;
            _openingId = 0;
        }

        if (engine is not null)
        {
            _ = engine.DisposeAsync().AsTask();
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args) =>
        EventRaiser.Raise(this, handler, args, exception => Log.HandlerFailed(_logger, exception));

    private void Raise(EventHandler? handler) =>
        EventRaiser.Raise(this, handler, exception => Log.HandlerFailed(_logger, exception));

    private enum ManagerState
    {
        Closed,
        Opening,
        Open,
    }
}
