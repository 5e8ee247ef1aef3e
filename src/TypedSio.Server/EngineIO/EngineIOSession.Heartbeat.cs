using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

// v4: the server pings pingInterval after the handshake (and after each pong) and expects the pong within pingTimeout.
// v3: the client pings; the server answers and closes when no ping came within pingInterval + pingTimeout.
// One ITimer is re-armed for whichever deadline comes next (not a PeriodicTimer: the next ping is due an interval after
// the pong, so the period is not fixed); the deadline itself is also checked when a request arrives, so a late timer
// never keeps a dead session alive.
internal sealed partial class EngineIOSession
{
    private readonly ITimer _heartbeat;
    private DateTimeOffset? _pongDeadline;
    private bool _deadlineRefreshed;

    private void StartHeartbeatLocked()
    {
        if (Protocol == EngineIOProtocolVersion.V3)
        {
            ResetV3DeadlineLocked();
        }
        else
        {
            _heartbeat.Change(_options.PingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHeartbeatTimer()
    {
        lock (_gate)
        {
            if (_state != SessionState.Open)
            {
                return;
            }

            if (_pongDeadline is null)
            {
                Log.PingSent(_logger, Id);
                _deadlineRefreshed = false;
                _pongDeadline = _time.GetUtcNow() + _options.PingTimeout;
                _heartbeat.Change(_options.PingTimeout, Timeout.InfiniteTimeSpan);
                EnqueueLocked(PingPacket);
                return;
            }

            if (!CheckPongDeadlineLocked())
            {
                // Woken early (the deadline moved); sleep until the new one.
                _heartbeat.Change(_pongDeadline.Value - _time.GetUtcNow(), Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Closes the session when its deadline has passed; returns true if it did.</summary>
    private bool CheckPongDeadlineLocked()
    {
        if (_state == SessionState.Closed || _pongDeadline is not { } deadline || _time.GetUtcNow() < deadline)
        {
            return false;
        }

        Log.PingTimeout(_logger, Id);
        CloseLocked(EngineIOCloseReason.PingTimeout);
        return true;
    }

    private void OnAnyPacketLocked(EngineIOPacketType type)
    {
        // Like the reference: any other packet while a pong is awaited buys the client one more pingTimeout, once per ping.
        if (Protocol == EngineIOProtocolVersion.V4 && _pongDeadline is not null && !_deadlineRefreshed && type != EngineIOPacketType.Pong)
        {
            _deadlineRefreshed = true;
            _pongDeadline = _time.GetUtcNow() + _options.PingTimeout;
            _heartbeat.Change(_options.PingTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnPingLocked()
    {
        if (Protocol != EngineIOProtocolVersion.V3)
        {
            Log.TransportError(_logger, Id, "invalid heartbeat direction");
            CloseLocked(EngineIOCloseReason.TransportError);
            return;
        }

        ResetV3DeadlineLocked();
        EnqueueLocked(PongPacket);
    }

    private void OnPongLocked()
    {
        if (Protocol == EngineIOProtocolVersion.V3)
        {
            Log.TransportError(_logger, Id, "invalid heartbeat direction");
            CloseLocked(EngineIOCloseReason.TransportError);
            return;
        }

        // Also for an unsolicited pong: like the reference, it restarts the interval before the next ping.
        _pongDeadline = null;
        _heartbeat.Change(_options.PingInterval, Timeout.InfiniteTimeSpan);
    }

    private void ResetV3DeadlineLocked()
    {
        var wait = _options.PingInterval + _options.PingTimeout;
        _pongDeadline = _time.GetUtcNow() + wait;
        _heartbeat.Change(wait, Timeout.InfiniteTimeSpan);
    }
}
