using System.Net.WebSockets;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

// WebSocket: the reader runs in the request that accepted the socket. There is no writer task: whoever queues a packet
// while no write is in flight writes the buffer out itself (the "drain"; on a read loop's thread the loop runs it once it
// has handled what it read, see EngineIOSession.Deferred.cs), and packets queued meanwhile are picked up by that drain
// before it lets go. A write that cannot complete at once (a full socket) finishes in the background while
// later senders only append, so a slow client never blocks a broadcast. A second socket for a polling session is an
// upgrade candidate until the client sends 2probe and then 5.
internal sealed partial class EngineIOSession
{
    private EngineIOWebSocket? _webSocket;
    private bool _writing; // a drain owns the socket's sending side
    private Task _drain = Task.CompletedTask; // the last drain that went asynchronous
    private List<EngineIOPacket> _spare = [];
    private EngineIOWebSocket? _candidate;
    private bool _probed;
    private ITimer? _upgradeTimer;

    internal enum CandidateStep
    {
        SendProbe,
        Upgraded,
        Abandoned,
    }

    /// <summary>Makes a socket the transport of a session that was opened over WebSocket.</summary>
    public void AttachWebSocket(EngineIOWebSocket socket)
    {
        lock (_gate)
        {
            _webSocket = socket;
            _writing = true; // the open packet is waiting in the buffer
        }

        Drain(socket);
    }

    /// <summary>Registers an upgrade candidate, or says why not (the caller then closes it).</summary>
    public string? TryBeginUpgrade(EngineIOWebSocket socket)
    {
        lock (_gate)
        {
            if (_state != SessionState.Open)
            {
                return "upgrade attempt for a closed client";
            }

            if (_webSocket is not null)
            {
                return "transport had already been upgraded";
            }

            if (_candidate is not null)
            {
                return "transport has already been trying to upgrade";
            }

            _candidate = socket;
            _upgradeTimer = _time.CreateTimer(
                static s =>
                {
                    var (session, candidate) = ((EngineIOSession, EngineIOWebSocket))s!;
                    lock (session._gate)
                    {
                        if (session._candidate == candidate)
                        {
                            Log.UpgradeTimeout(session._logger, session.Id);
                            session.AbandonUpgradeLocked();
                        }
                    }
                },
                (this, socket),
                _options.UpgradeTimeout,
                Timeout.InfiniteTimeSpan);
            return null;
        }
    }

    /// <summary>Reads a socket until it closes, handling packets as the candidate or as the active transport.</summary>
    public async Task RunWebSocketAsync(EngineIOWebSocket socket, bool isCandidate)
    {
        var active = !isCandidate;
        try
        {
            while (true)
            {
                var receiving = socket.ReceiveAsync(CancellationToken.None);
                if (!receiving.IsCompleted)
                {
                    EndDeferringDrains();
                }

                var (kind, data) = await receiving;
                BeginDeferringDrains();
                if (kind == EngineIOWebSocket.FrameKind.Close)
                {
                    if (active)
                    {
                        Close(EngineIOCloseReason.TransportClose);
                    }

                    break;
                }

                if (kind == EngineIOWebSocket.FrameKind.TooBig)
                {
                    socket.CloseStatus = WebSocketCloseStatus.MessageTooBig;
                    if (active)
                    {
                        OnTransportError("WebSocket message larger than maxHttpBufferSize");
                    }
                    else
                    {
                        AbandonUpgrade(socket);
                    }

                    break;
                }

                _server.Metrics.BytesReceived(data.Length);
                var frame = new System.Buffers.ReadOnlySequence<byte>(data);
                var ok = kind == EngineIOWebSocket.FrameKind.Text
                    ? EngineIOFrameCodec.TryDecodeText(frame, Protocol, out var packet, out var error)
                    : EngineIOFrameCodec.TryDecodeBinary(frame, Protocol, out packet, out error);
                if (!ok)
                {
                    if (active)
                    {
                        OnParseError(error);
                    }
                    else
                    {
                        AbandonUpgrade(socket);
                    }

                    break;
                }

                if (active)
                {
                    var handled = OnPacketAsync(packet);
                    if (!handled.IsCompletedSuccessfully)
                    {
                        EndDeferringDrains();
                        await handled;
                    }

                    continue;
                }

                switch (OnCandidatePacket(socket, packet))
                {
                    case CandidateStep.SendProbe:
                        EndDeferringDrains();
                        await socket.SendAsync(EngineIOPacket.PongProbe, _abort.Token);
                        OnProbeSent(socket);
                        break;
                    case CandidateStep.Upgraded:
                        active = true;
                        break;
                    default:
                        break; // keep reading until the peer answers our close frame
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // An abrupt end of the connection: the reference reports it as the transport closing.
            if (active)
            {
                Close(EngineIOCloseReason.TransportClose);
            }
            else
            {
                AbandonUpgrade(socket);
            }
        }
        finally
        {
            EndDeferringDrains();
        }

        if (active)
        {
            // The request must outlive the last write and the close frame: the socket goes with it.
            Task drain;
            lock (_gate)
            {
                drain = _drain;
            }

            await drain;
        }

        await socket.CloseAsync();
    }

    private CandidateStep OnCandidatePacket(EngineIOWebSocket socket, in EngineIOPacket packet)
    {
        lock (_gate)
        {
            if (_candidate != socket || _state == SessionState.Closed)
            {
                return CandidateStep.Abandoned;
            }

            if (packet.Type == EngineIOPacketType.Ping && packet.IsProbe)
            {
                return CandidateStep.SendProbe;
            }

            if (packet.Type != EngineIOPacketType.Upgrade)
            {
                Log.UpgradeFailed(_logger, Id, "unexpected packet " + packet.Type);
                AbandonUpgradeLocked();
                return CandidateStep.Abandoned;
            }

            _upgradeTimer?.Dispose();
            _upgradeTimer = null;
            _candidate = null;
            _probed = false;
            ReleasePollLocked(NoopPacket);
            _webSocket = socket;
            _transport = EngineIOTransportNames.WebSocket;
            Log.Upgraded(_logger, Id);
            DrainLaterLocked(); // what was queued for the next poll goes out over the socket
            return CandidateStep.Upgraded;
        }
    }

    private void OnProbeSent(EngineIOWebSocket socket)
    {
        lock (_gate)
        {
            if (_candidate == socket)
            {
                // The pending poll is released so the client can pause polling and send the upgrade packet.
                _probed = true;
                ReleasePollLocked(NoopPacket);
            }
        }
    }

    private void AbandonUpgrade(EngineIOWebSocket socket)
    {
        lock (_gate)
        {
            if (_candidate == socket)
            {
                AbandonUpgradeLocked();
            }
        }
    }

    private void AbandonUpgradeLocked()
    {
        if (_candidate is not { } candidate)
        {
            return;
        }

        _candidate = null;
        _probed = false;
        _upgradeTimer?.Dispose();
        _upgradeTimer = null;
        _ = Task.Run(candidate.CloseAsync);
    }

    /// <summary>Starts a drain on the thread pool unless one is running (for packets queued under the gate, e.g. pings).</summary>
    private void DrainLaterLocked()
    {
        if (_writing || _webSocket is not { } socket || _state == SessionState.Closed)
        {
            return;
        }

        _writing = true;
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.session.Drain(state.socket), (session: this, socket), preferLocal: true);
    }

    /// <summary>Writes the buffer out until it is empty; the caller set <see cref="_writing"/>.</summary>
    private void Drain(EngineIOWebSocket socket)
    {
        var drain = DrainAsync(socket);
        if (!drain.IsCompleted)
        {
            lock (_gate)
            {
                _drain = drain;
            }
        }
    }

    private async Task DrainAsync(EngineIOWebSocket socket)
    {
        var closeSocket = false;
        try
        {
            while (true)
            {
                List<EngineIOPacket> batch;
                lock (_gate)
                {
                    if (_state == SessionState.Closed)
                    {
                        // The close has left the socket to this drain (see OnClosedLocked).
                        closeSocket = true;
                        break;
                    }

                    if (_buffer.Count == 0)
                    {
                        if (_state == SessionState.Closing)
                        {
                            CloseLocked(EngineIOCloseReason.ForcedClose);
                            closeSocket = true;
                            break;
                        }

                        _writing = false;
                        return;
                    }

                    // Swap the lists rather than copy: senders append to the other one while this one is written.
                    batch = _buffer;
                    _buffer = _spare;
                    _spare = batch;
                    _bufferedBytes = 0;
                }

                try
                {
                    _server.Metrics.BytesSent(await socket.SendAsync(batch, _abort.Token));
                }
                finally
                {
                    batch.Clear();
                }
            }
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
        {
            OnTransportError("write error: " + e.Message);
            closeSocket = true;
        }
        catch (OperationCanceledException)
        {
            // the session closed while a frame was being written
            closeSocket = true;
        }

        if (closeSocket)
        {
            await socket.CloseAsync();
        }
    }

    /// <summary>
    /// On close: returns the active socket when nobody is writing to it, for the caller to close; a running drain closes
    /// it itself when it sees the state. Either way no drain starts afterwards.
    /// </summary>
    private EngineIOWebSocket? OnClosedLocked()
    {
        if (_webSocket is not { } socket || _writing)
        {
            return null;
        }

        _writing = true;
        return socket;
    }
}
