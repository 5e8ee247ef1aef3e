using TypedSio.EngineIO;

namespace TypedSio.Client;

public sealed partial class EngineIOClient
{
    private ITimer? _heartbeatTimer;
    private TimeSpan _pingInterval;
    private TimeSpan _pingTimeout;
    private bool _awaitingPong;

    /// <summary>
    /// v4: the server pings every pingInterval; without a ping within pingInterval + pingTimeout the server is gone.
    /// v3: this side pings every pingInterval and expects the pong within pingTimeout.
    /// </summary>
    private void StartHeartbeat(EngineIOHandshake handshake)
    {
        _pingInterval = handshake.PingInterval;
        _pingTimeout = handshake.PingTimeout;
        var first = _context.Version == EngineIOProtocolVersion.V4 ? _pingInterval + _pingTimeout : _pingInterval;
        lock (_gate)
        {
            _heartbeatTimer = _options.TimeProvider.CreateTimer(static state => ((EngineIOClient)state!).OnHeartbeatTimer(), this, first, Timeout.InfiniteTimeSpan);
        }
    }

    private void ResetPingTimeout()
    {
        lock (_gate)
        {
            _heartbeatTimer?.Change(_pingInterval + _pingTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnV3Pong()
    {
        lock (_gate)
        {
            _awaitingPong = false;
            _heartbeatTimer?.Change(_pingInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHeartbeatTimer()
    {
        if (_context.Version == EngineIOProtocolVersion.V3)
        {
            lock (_gate)
            {
                if (!_awaitingPong && _readyState == EngineIOReadyState.Open)
                {
                    _awaitingPong = true;
                    _heartbeatTimer?.Change(_pingTimeout, Timeout.InfiniteTimeSpan);
                    Enqueue(EngineIOPacket.Text(EngineIOPacketType.Ping), completion: null);
                    return;
                }
            }
        }

        Log.PingTimeout(_logger);
        OnClose("ping timeout", null);
    }
}
