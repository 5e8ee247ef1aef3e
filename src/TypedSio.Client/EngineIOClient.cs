using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TypedSio.Client.Transports;
using TypedSio.EngineIO;

namespace TypedSio.Client;

/// <summary>
/// An Engine.IO v4 client (v3 on request): opens a session over long-polling or WebSocket, upgrades from polling to
/// WebSocket, answers the server's heartbeat and notices when it stops, and sends and receives text and binary
/// messages. It never reconnects; a closed client stays closed.
/// </summary>
/// <remarks>
/// Events are raised on the transport's receive loop, one at a time and in the order the packets arrived; a handler
/// that blocks holds up the connection. Exceptions thrown by handlers are logged and otherwise ignored.
/// </remarks>
public sealed partial class EngineIOClient : IAsyncDisposable, IEngineIOTransportOwner
{
    private readonly EngineIOClientOptions _options;
    private readonly TransportContext _context;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private TaskCompletionSource<EngineIOHandshake> _handshakeReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _sendSlots;
    private readonly CancellationTokenSource _abort = new();
    private EngineIOReadyState _readyState;
    private EngineIOTransport? _transport;
    private EngineIOTransport? _probe;
    private EngineIOHandshake? _handshake;
    private Task _writeLoop = Task.CompletedTask;

    /// <summary>Creates a client; nothing is sent until <see cref="OpenAsync"/>.</summary>
    /// <param name="options">Where and how to connect.</param>
    public EngineIOClient(EngineIOClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Transports.Count == 0)
        {
            throw new ArgumentException("At least one transport is required.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.SendQueueLimit, 1, nameof(options));
        _options = options;
        _sendSlots = new SemaphoreSlim(options.SendQueueLimit, options.SendQueueLimit);
        _context = new TransportContext(options);
        _logger = _context.EngineLogger;
    }

    /// <summary>Raised once the handshake completed, with the server's handshake.</summary>
    public event EventHandler<EngineIOHandshake>? Opened;

    /// <summary>Raised for every message from the server.</summary>
    public event EventHandler<EngineIOMessageEventArgs>? MessageReceived;

    /// <summary>Raised for every ping the server sends (v4) or pong it answers (v3): the heartbeat is alive.</summary>
    public event EventHandler? Heartbeat;

    /// <summary>Raised when the connection moved from long-polling to a WebSocket.</summary>
    public event EventHandler<EngineIOTransportKind>? Upgraded;

    /// <summary>Raised when a WebSocket upgrade probe failed, with why; the session stays on long-polling.</summary>
    public event EventHandler<Exception>? UpgradeFailed;

    /// <summary>Raised once when a session that was open closes, with the reason. Not raised when <see cref="OpenAsync"/> fails.</summary>
    public event EventHandler<EngineIOClosedEventArgs>? Closed;

    /// <summary>The state of the session.</summary>
    public EngineIOReadyState ReadyState
    {
        get
        {
            lock (_gate)
            {
                return _readyState;
            }
        }
    }

    /// <summary>The session id, once open.</summary>
    public string? Id => _handshake?.Sid;

    /// <summary>The server's handshake, once open.</summary>
    public EngineIOHandshake? Handshake => _handshake;

    /// <summary>The transport in use (it changes once on upgrade).</summary>
    public EngineIOTransportKind? Transport => _transport?.Kind;

    /// <summary>
    /// Opens the session. Completes once the handshake is received; throws a <see cref="ConnectErrorException"/>
    /// subtype when the server cannot be reached, refuses (codes 0–5), breaks the protocol, or does not answer within
    /// <see cref="EngineIOClientOptions.ConnectTimeout"/>; or <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled. With <see cref="EngineIOClientOptions.TryAllTransports"/>, a
    /// transport that fails is followed by the next one, within the same timeout, and the last failure is thrown. A failed
    /// client stays closed; create a new one to retry.
    /// </summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A task that completes when the session is open.</returns>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_readyState != EngineIOReadyState.Initial)
            {
                throw new InvalidOperationException($"OpenAsync can be called once; the client is {_readyState}.");
            }

            SetReadyState(EngineIOReadyState.Opening);
        }

        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        EngineIOTransportKind kind;
        for (var attempt = 0; ; attempt++)
        {
            kind = _options.Transports[attempt];
            var transport = CreateTransport(kind);
            TaskCompletionSource<EngineIOHandshake> handshakeReceived;
            lock (_gate)
            {
                _transport = transport;
                handshakeReceived = _handshakeReceived = attempt == 0 ? _handshakeReceived : new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            Log.Connecting(_logger, _context.BuildUri(kind, null));
            Log.SettingTransport(_logger, kind);
            try
            {
                await transport.OpenAsync(linked.Token);
                await handshakeReceived.Task.WaitAsync(linked.Token);
                break;
            }
            catch (Exception exception)
            {
                // A transport that fails while opening completes the handshake with the cause and stops, so that cause
                // wins over the cancellation its stopping triggers.
                var error = cancellationToken.IsCancellationRequested ? exception
                    : timeout.IsCancellationRequested ? new ConnectTimeoutException(_options.ConnectTimeout, exception)
                    : handshakeReceived.Task.IsFaulted ? handshakeReceived.Task.Exception!.InnerException!
                    : ConnectFailures.Map(exception, _context) ?? exception;
                transport.Abort();
                if (_options.TryAllTransports && attempt + 1 < _options.Transports.Count && error is ConnectErrorException
                    && error is not ConnectTimeoutException && ReadyState == EngineIOReadyState.Opening)
                {
                    Log.TryingNextTransport(_logger, kind, error);
                    continue;
                }

                Log.OpenFailed(_logger, error);
                OnClose("transport error", error);
                if (ReferenceEquals(error, exception))
                {
                    ExceptionDispatchInfo.Throw(exception);
                }

                throw error;
            }
        }

        var handshake = _handshakeReceived.Task.Result;
        if (kind == EngineIOTransportKind.Polling && _options.Upgrade
            && _options.Transports.Contains(EngineIOTransportKind.WebSocket)
            && handshake.Upgrades.Contains("websocket", StringComparer.Ordinal))
        {
            Log.StartingUpgradeProbes(_logger);
            _ = Task.Run(ProbeWebSocketAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// Sends a text message. Safe to call concurrently; messages are written one at a time in queue order. Waits while
    /// <see cref="EngineIOClientOptions.SendQueueLimit"/> messages are queued. Fails with the reason when the session
    /// closes before the message is written (e.g. <see cref="EngineIOSessionIdUnknownException"/>).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Stops waiting (the message may still be sent).</param>
    /// <returns>A task that completes once the message was handed to the transport.</returns>
    public Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EnqueueAsync(EngineIOPacket.Text(EngineIOPacketType.Message, Encoding.UTF8.GetBytes(text)), cancellationToken);
    }

    /// <summary>Sends a binary message; see <see cref="SendAsync(string, CancellationToken)"/>.</summary>
    /// <param name="data">The bytes (copied, so the caller may reuse the buffer).</param>
    /// <param name="cancellationToken">Stops waiting (the message may still be sent).</param>
    /// <returns>A task that completes once the message was handed to the transport.</returns>
    public Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        EnqueueAsync(EngineIOPacket.Binary(data.ToArray()), cancellationToken);

    /// <summary>
    /// Closes the session: sends what is queued, tells the server, and raises <see cref="Closed"/> with reason
    /// <c>forced close</c>. Does nothing when already closed. Never throws: when the goodbye fails or
    /// <paramref name="cancellationToken"/> is cancelled, the connection is dropped without it.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the queue and the server; the session closes regardless.</param>
    /// <returns>A task that completes when closed.</returns>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        EngineIOTransport? transport;
        lock (_gate)
        {
            if (_readyState is EngineIOReadyState.Closed or EngineIOReadyState.Closing)
            {
                return;
            }

            if (_readyState != EngineIOReadyState.Open)
            {
                transport = null;
            }
            else
            {
                SetReadyState(EngineIOReadyState.Closing);
                transport = _transport;
            }
        }

        if (transport is not null)
        {
            try
            {
                // Let queued messages go out first, as the reference client waits for its write buffer to drain.
                _outgoing.Writer.TryComplete();
                await _writeLoop.WaitAsync(cancellationToken);
                await _writeLock.WaitAsync(cancellationToken);
                try
                {
                    await (_transport ?? transport).CloseAsync(cancellationToken);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
#pragma warning disable CA1031 // Whatever went wrong saying goodbye, the session ends below; the failure is logged.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.CloseFailed(_logger, exception);
            }
        }

        OnClose("forced close", null);
    }

    /// <summary>Closes the session (see <see cref="CloseAsync"/>) and releases the HTTP handler the client created.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await CloseAsync(timeout.Token);
        }

        // The token source and the write lock are left to the collector: loops that are still unwinding may touch them.
        _context.Dispose();
        _heartbeatTimer?.Dispose();
    }

    private EngineIOTransport CreateTransport(EngineIOTransportKind kind) => kind switch
    {
        EngineIOTransportKind.Polling => new PollingTransport(_context, this),
        EngineIOTransportKind.WebSocket => new WebSocketTransport(_context, this),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown transport."),
    };

    // Callers hold _gate.
    private void SetReadyState(EngineIOReadyState state)
    {
        _readyState = state;
        Log.ReadyState(_logger, state);
    }
}
