using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// One Engine.IO session. Every field below is owned by <see cref="_gate"/>: transports, timers and the application
/// all go through it, so the state machine has exactly one owner. Work that may block (writing to a socket or a
/// response, handing messages to the application) happens outside the lock.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The abort token outlives the session in the application's hands; nothing here holds unmanaged resources.")]
internal sealed partial class EngineIOSession : IEngineIOConnection
{
    private static readonly EngineIOPacket ClosePacket = EngineIOPacket.Text(EngineIOPacketType.Close);
    private static readonly EngineIOPacket NoopPacket = EngineIOPacket.Text(EngineIOPacketType.Noop);
    private static readonly EngineIOPacket PingPacket = EngineIOPacket.Text(EngineIOPacketType.Ping);
    private static readonly EngineIOPacket PongPacket = EngineIOPacket.Text(EngineIOPacketType.Pong);

    private readonly object _gate = new();
    private readonly EngineIOServer _server;
    private readonly EngineIOServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<EngineIOCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<EngineIOPacket> _buffer = [];
    private long _bufferedBytes;
    private SessionState _state = SessionState.Open;
    private string _transport;

    public EngineIOSession(
        EngineIOServer server,
        string id,
        string transport,
        EngineIOProtocolVersion protocol,
        EngineIORequestInfo request,
        bool supportsBinary)
    {
        _server = server;
        _options = server.Options;
        _time = server.TimeProvider;
        _logger = server.Logger;
        Id = id;
        _transport = transport;
        Protocol = protocol;
        Request = request;
        SupportsBinary = supportsBinary;
        var upgrades = transport == EngineIOTransportNames.Polling && _options.AllowUpgrades
            && _options.Transports.Contains(EngineIOTransportNames.WebSocket)
            ? new[] { EngineIOTransportNames.WebSocket }
            : [];
        var handshake = new EngineIOHandshake(id, upgrades, _options.PingInterval, _options.PingTimeout, _options.MaxHttpBufferSize);
        _buffer.Add(handshake.ToPacket());
        _heartbeat = _time.CreateTimer(static s => ((EngineIOSession)s!).OnHeartbeatTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private enum SessionState
    {
        Open,
        Closing,
        Closed,
    }

    public string Id { get; }

    public string Transport
    {
        get
        {
            lock (_gate)
            {
                return _transport;
            }
        }
    }

    public EngineIOProtocolVersion Protocol { get; }

    public EngineIORequestInfo Request { get; }

    /// <summary>Whether the client reads binary (false for a v3 client that asked for base64 with <c>b64</c>).</summary>
    public bool SupportsBinary { get; }

    public CancellationToken ConnectionClosed => _abort.Token;

    public Task<EngineIOCloseReason> Closed => _closed.Task;

    /// <summary>Whether the session is open for requests; a session whose pong deadline passed is closed here and now.</summary>
    public bool IsAlive
    {
        get
        {
            lock (_gate)
            {
                CheckPongDeadlineLocked();
                return _state != SessionState.Closed;
            }
        }
    }

    public ValueTask<bool> SendAsync(EngineIOMessage message, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Send(new ReadOnlySpan<EngineIOMessage>(in message)));

    /// <summary>
    /// Queues messages back to back (a Socket.IO packet and its attachments), so no other message comes between them.
    /// On WebSocket, when no write is in flight, the caller writes them itself (no hand-off to a writer thread), or, on a
    /// read loop's thread, the loop does when it has handled what it read.
    /// </summary>
    /// <returns>False when the session is closed (or just closed because the client reads too slowly).</returns>
    public bool Send(ReadOnlySpan<EngineIOMessage> messages)
    {
        EngineIOWebSocket? writeHere = null;
        lock (_gate)
        {
            if (_state != SessionState.Open)
            {
                return false;
            }

            long bytes = 0;
            foreach (var message in messages)
            {
                bytes += message.Data.Length;
            }

            if (_buffer.Count + messages.Length > _options.MaxBufferedPackets || _bufferedBytes + bytes > _options.MaxBufferedBytes)
            {
                Log.SlowConsumer(_logger, Id, _buffer.Count, _bufferedBytes);
                CloseLocked(EngineIOCloseReason.SlowConsumer);
                return false;
            }

            _bufferedBytes += bytes;
            foreach (var message in messages)
            {
                _buffer.Add(message.IsBinary ? EngineIOPacket.Binary(message.Data) : EngineIOPacket.Text(EngineIOPacketType.Message, message.Data));
            }

            if (_webSocket is { } socket)
            {
                if (!_writing)
                {
                    _writing = true;
                    if (!TryDeferDrainLocked(socket))
                    {
                        writeHere = socket;
                    }
                }
            }
            else
            {
                FlushPollLocked();
            }
        }

        for (var i = 0; i < messages.Length; i++)
        {
            _server.Metrics.PacketSent();
        }

        if (writeHere is not null)
        {
            Drain(writeHere);
        }

        return true;
    }

    public Task CloseAsync()
    {
        lock (_gate)
        {
            if (_state != SessionState.Open)
            {
                return _closed.Task;
            }

            _state = SessionState.Closing;
            BeginClosingLocked();
        }

        return _closed.Task;
    }

    /// <summary>Starts the heartbeat; called once the handshake is on its way.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_state == SessionState.Open)
            {
                StartHeartbeatLocked();
            }
        }
    }

    /// <summary>Closes the session at once (no orderly delivery of what is queued).</summary>
    public void Close(EngineIOCloseReason reason)
    {
        lock (_gate)
        {
            CloseLocked(reason);
        }
    }

    /// <summary>Handles one packet from the client's active transport, in order.</summary>
    public ValueTask OnPacketAsync(in EngineIOPacket packet)
    {
        Func<EngineIOMessage, ValueTask>? receiver;
        lock (_gate)
        {
            if (_state == SessionState.Closed)
            {
                return ValueTask.CompletedTask;
            }

            _server.Metrics.PacketReceived();
            OnAnyPacketLocked(packet.Type);
            switch (packet.Type)
            {
                case EngineIOPacketType.Ping:
                    OnPingLocked();
                    return ValueTask.CompletedTask;
                case EngineIOPacketType.Pong:
                    OnPongLocked();
                    return ValueTask.CompletedTask;
                case EngineIOPacketType.Close:
                    Log.ClientClosed(_logger, Id);
                    CloseLocked(EngineIOCloseReason.TransportClose);
                    return ValueTask.CompletedTask;
                case EngineIOPacketType.Message:
                    var wait = OnMessageLocked(packet, out receiver);
                    if (receiver is null)
                    {
                        return wait;
                    }

                    break;
                default:
                    return ValueTask.CompletedTask;
            }
        }

        return DeliverNow(receiver, packet);
    }

    /// <summary>Closes the session because the client sent something undecodable.</summary>
    public void OnParseError(EngineIOParseError error)
    {
        Log.ParseError(_logger, Id, error.Message);
        Close(EngineIOCloseReason.ParseError);
    }

    /// <summary>Closes the session because its transport failed.</summary>
    public void OnTransportError(string what)
    {
        Log.TransportError(_logger, Id, what);
        Close(EngineIOCloseReason.TransportError);
    }

    private void EnqueueLocked(in EngineIOPacket packet)
    {
        _buffer.Add(packet);
        FlushLocked();
    }

    private EngineIOPacket[] TakeBufferLocked()
    {
        if (_buffer.Count == 0)
        {
            return [];
        }

        var packets = _buffer.ToArray();
        _buffer.Clear();
        _bufferedBytes = 0;
        return packets;
    }

    private void FlushLocked()
    {
        if (_webSocket is not null)
        {
            DrainLaterLocked();
        }
        else
        {
            FlushPollLocked();
        }
    }

    private void BeginClosingLocked()
    {
        if (_webSocket is not null)
        {
            DrainLaterLocked();
        }
        else
        {
            BeginPollingCloseLocked();
        }
    }

    private void CloseLocked(EngineIOCloseReason reason)
    {
        if (_state == SessionState.Closed)
        {
            return;
        }

        _state = SessionState.Closed;
        _heartbeat.Dispose();
        _closeTimer?.Dispose();
        ReleasePollOnCloseLocked(reason);
        AbandonUpgradeLocked();
        _buffer = [];
        _bufferedBytes = 0;
        CompleteInboundLocked();
        var closeSocket = OnClosedLocked();
        Log.Closed(_logger, Id, reason.ToReasonString());

        // Cancelling runs callbacks synchronously; they must not run under the lock.
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                var (session, why, socket) = state;
                if (socket is not null)
                {
                    _ = socket.CloseAsync();
                }

                session._abort.Cancel();
                session._server.Remove(session);
                session._closed.TrySetResult(why);
            },
            (this, reason, closeSocket),
            preferLocal: false);
    }
}
