using System.Diagnostics.Metrics;

namespace TypedSio.Server.SocketIO;

/// <summary>The <c>TypedSio.SocketIO</c> meter: sockets per namespace, packets and bytes, errors.</summary>
internal sealed class SocketIOMetrics : IDisposable
{
    public const string MeterName = "TypedSio.SocketIO";
    private readonly Meter _meter;
    private readonly UpDownCounter<long> _sockets;
    private readonly Counter<long> _packetsIn;
    private readonly Counter<long> _packetsOut;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _broadcasts;
    private readonly Counter<long> _errors;

    public SocketIOMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _sockets = _meter.CreateUpDownCounter<long>("typedsio.socketio.sockets", "{socket}", "Connected sockets, tagged with the namespace.");
        _packetsIn = _meter.CreateCounter<long>("typedsio.socketio.messages_received", "{message}", "Engine.IO messages received by the Socket.IO layer.");
        _packetsOut = _meter.CreateCounter<long>("typedsio.socketio.packets_sent", "{packet}", "Socket.IO packets queued for clients.");
        _bytesIn = _meter.CreateCounter<long>("typedsio.socketio.bytes_received", "By", "Bytes of Socket.IO packets received.");
        _bytesOut = _meter.CreateCounter<long>("typedsio.socketio.bytes_sent", "By", "Bytes of Socket.IO packets queued for clients.");
        _broadcasts = _meter.CreateCounter<long>("typedsio.socketio.broadcasts", "{broadcast}", "Broadcasts, tagged with the namespace.");
        _errors = _meter.CreateCounter<long>("typedsio.socketio.errors", "{error}", "Refused connections, protocol violations and failed handlers.");
    }

    public void Connected(string nsp) => _sockets.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    public void Disconnected(string nsp) => _sockets.Add(-1, new KeyValuePair<string, object?>("namespace", nsp));

    public void PacketReceived(long bytes)
    {
        _packetsIn.Add(1);
        _bytesIn.Add(bytes);
    }

    public void PacketSent(long bytes)
    {
        _packetsOut.Add(1);
        _bytesOut.Add(bytes);
    }

    public void Broadcast(string nsp) => _broadcasts.Add(1, new KeyValuePair<string, object?>("namespace", nsp));

    public void Error(string nsp, string kind) =>
        _errors.Add(1, new KeyValuePair<string, object?>("namespace", nsp), new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
