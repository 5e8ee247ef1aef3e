using System.Net.WebSockets;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

// WebSocket: one writer loop per session drains the outbound buffer; the reader runs in the request that accepted the
// socket. A second socket for a polling session is an upgrade candidate until the client sends 2probe and then 5.
internal sealed partial class EngineIOSession
{
    private readonly SemaphoreSlim _writeSignal = new(0, 1);
    private EngineIOWebSocket? _webSocket;
    private Task _writerTask = Task.CompletedTask;
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
            _writerTask = Task.Run(() => RunWriterAsync(socket));
        }
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
                var (kind, data) = await socket.ReceiveAsync(CancellationToken.None);
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
                    await OnPacketAsync(packet);
                    continue;
                }

                switch (OnCandidatePacket(socket, packet))
                {
                    case CandidateStep.SendProbe:
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

        if (active)
        {
            await _writerTask;
        }
        else
        {
            await socket.CloseAsync();
        }
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
            _writerTask = Task.Run(() => RunWriterAsync(socket));
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

    private void SignalWriterLocked()
    {
        if (_writeSignal.CurrentCount == 0)
        {
            _writeSignal.Release();
        }
    }

    private async Task RunWriterAsync(EngineIOWebSocket socket)
    {
        try
        {
            while (true)
            {
                EngineIOPacket[] batch;
                lock (_gate)
                {
                    if (_state == SessionState.Closed)
                    {
                        break;
                    }

                    batch = TakeBufferLocked();
                    if (batch.Length == 0 && _state == SessionState.Closing)
                    {
                        CloseLocked(EngineIOCloseReason.ForcedClose);
                        break;
                    }
                }

                if (batch.Length == 0)
                {
                    await _writeSignal.WaitAsync();
                    continue;
                }

                foreach (var packet in batch)
                {
                    var written = await socket.SendAsync(packet, _abort.Token);
                    _server.Metrics.BytesSent(written);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            OnTransportError("write error: " + e.Message);
        }
        catch (OperationCanceledException)
        {
            // the session closed while a frame was being written
        }

        await socket.CloseAsync();
    }
}
