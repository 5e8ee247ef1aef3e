using System.Buffers;
using TypedSio.Client.Transports;
using TypedSio.EngineIO;
using TypedSio.Client.Internal;

namespace TypedSio.Client;

public sealed partial class EngineIOClient
{
    /// <inheritdoc />
    void IEngineIOTransportOwner.OnPacket(EngineIOTransport transport, in EngineIOPacket packet)
    {
        EngineIOReadyState state;
        lock (_gate)
        {
            state = _readyState;
            if (!ReferenceEquals(transport, _transport) || state is EngineIOReadyState.Closed)
            {
                Log.IgnoringPacket(_logger, packet.Type, transport.Kind);
                return;
            }
        }

        Log.PacketReceived(_logger, packet.Type, packet.IsBinary, packet.Data.Length);
        if (state == EngineIOReadyState.Opening)
        {
            if (packet.Type != EngineIOPacketType.Open)
            {
                FailHandshake(transport, new ServerProtocolViolationException($"expected the 'open' packet first, got '{packet.Type}'."));
                return;
            }

            OnHandshake(transport, packet);
            return;
        }

        switch (packet.Type)
        {
            case EngineIOPacketType.Ping when _context.Version == EngineIOProtocolVersion.V4:
                ResetPingTimeout();
                Enqueue(EngineIOPacket.Text(EngineIOPacketType.Pong), completion: null);
                Raise(Heartbeat, EventArgs.Empty);
                break;
            case EngineIOPacketType.Pong when _context.Version == EngineIOProtocolVersion.V3:
                OnV3Pong();
                Raise(Heartbeat, EventArgs.Empty);
                break;
            case EngineIOPacketType.Message:
                Raise(MessageReceived, new EngineIOMessageEventArgs(packet.Data.ToArray(), packet.IsBinary));
                break;
            case EngineIOPacketType.Close:
                OnClose("transport close", null);
                break;
            case EngineIOPacketType.Open:
                OnClose("parse error", new ServerProtocolViolationException("a second 'open' packet in an open session."));
                break;
            default:
                // noop, upgrade, and heartbeat packets of the other protocol revision carry nothing for this side
                break;
        }
    }

    /// <inheritdoc />
    void IEngineIOTransportOwner.OnTransportClosed(EngineIOTransport transport, string reason, Exception? error)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(transport, _transport))
            {
                return;
            }
        }

        Log.TransportClosed(_logger, transport.Kind, reason, error);
        if (ReadyState == EngineIOReadyState.Opening && error is not ConnectErrorException)
        {
            // ClientWebSocket sees only frames once upgraded; a server that refuses the session after the 101 (engine.io
            // does so for an unsupported EIO version) writes its HTTP refusal into the stream, which reads as a bad frame.
            var detail = error is null ? "the server closed the WebSocket before the handshake." : $"the WebSocket failed before the handshake: {error.Message}";
            if (_context.Version == EngineIOProtocolVersion.V3)
            {
                detail += " A v4-only server refuses Engine.IO v3 this way (error 5, Unsupported protocol version): enable allowEIO3 on the server or speak v4.";
            }

            error = new ServerProtocolViolationException(detail, error);
        }

        if (ReadyState == EngineIOReadyState.Opening)
        {
            // OpenAsync owns failures while opening: it may try the next transport.
            _handshakeReceived.TrySetException(error!);
            transport.Abort();
            return;
        }

        OnClose(reason, error);
    }

    private void OnHandshake(EngineIOTransport transport, in EngineIOPacket packet)
    {
        if (!EngineIOHandshake.TryParse(packet.Data, out var handshake, out var problem))
        {
            FailHandshake(transport, new ServerProtocolViolationException($"an invalid handshake ({problem}): {packet.GetText()}"));
            return;
        }

        lock (_gate)
        {
            if (_readyState != EngineIOReadyState.Opening)
            {
                return;
            }

            _handshake = handshake;
            transport.Sid = handshake!.Sid;
            SetReadyState(EngineIOReadyState.Open);
        }

        Log.Handshake(_logger, handshake.Sid, (long)handshake.PingInterval.TotalMilliseconds, (long)handshake.PingTimeout.TotalMilliseconds, handshake.MaxPayload);
        _writeLoop = Task.Run(WriteLoopAsync, CancellationToken.None);
        StartHeartbeat(handshake);
        Raise(Opened, handshake);
        _handshakeReceived.TrySetResult(handshake);
    }

    // OpenAsync owns failures while opening: it reports this one, or tries the next transport.
    private void FailHandshake(EngineIOTransport transport, Exception error)
    {
        Log.HandshakeFailed(_logger, error);
        _handshakeReceived.TrySetException(error);
        transport.Abort();
    }

    /// <summary>Ends the session once: stops timers, loops and transports, fails what is queued, raises <see cref="Closed"/>.</summary>
    private void OnClose(string reason, Exception? error)
    {
        EngineIOTransport? transport, probe;
        bool wasOpen;
        lock (_gate)
        {
            if (_readyState == EngineIOReadyState.Closed)
            {
                return;
            }

            wasOpen = _readyState is EngineIOReadyState.Open or EngineIOReadyState.Closing;
            if (_readyState == EngineIOReadyState.Closing)
            {
                // CloseAsync is saying goodbye: a transport that reports its end first is only the consequence of it.
                reason = "forced close";
                error = null;
            }

            SetReadyState(EngineIOReadyState.Closed);
            _closeError = error;
            transport = _transport;
            probe = _probe;
        }

        Log.Closing(_logger, reason);
        _handshakeReceived.TrySetException(error ?? (reason == "forced close"
            ? new OperationCanceledException("The client was closed while opening.")
            : new InvalidOperationException($"The Engine.IO session closed ({reason}) before the handshake.")));
        _ = _handshakeReceived.Task.Exception; // observed: OpenAsync reports the failure itself
        _heartbeatTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _abort.Cancel();
        _outgoing.Writer.TryComplete();
        var closedError = error ?? new InvalidOperationException($"The Engine.IO session closed ({reason}) before the message was sent.");
        while (_outgoing.Reader.TryRead(out var pending))
        {
            Complete(pending, closedError);
        }

        transport?.Abort();
        probe?.Abort();
        if (wasOpen)
        {
            Raise(Closed, new EngineIOClosedEventArgs(reason, error));
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args) =>
        EventRaiser.Raise(this, handler, args, exception => Log.HandlerFailed(_logger, exception));

    private void Raise(EventHandler? handler, EventArgs args) =>
        EventRaiser.Raise(this, handler, exception => Log.HandlerFailed(_logger, exception));
}
