using System.Diagnostics.Metrics;

namespace TypedSio.Server.EngineIO;

/// <summary>The <c>TypedSio.Engine</c> meter: connections, packets, bytes and refused requests.</summary>
internal sealed class EngineIOMetrics : IDisposable
{
    public const string MeterName = "TypedSio.Engine";
    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _packetsIn;
    private readonly Counter<long> _packetsOut;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _errors;

    public EngineIOMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _connections = _meter.CreateUpDownCounter<long>("typedsio.engine.connections", "{connection}", "Open Engine.IO sessions.");
        _packetsIn = _meter.CreateCounter<long>("typedsio.engine.packets_received", "{packet}", "Packets received from clients.");
        _packetsOut = _meter.CreateCounter<long>("typedsio.engine.messages_sent", "{message}", "Messages queued for clients.");
        _bytesIn = _meter.CreateCounter<long>("typedsio.engine.bytes_received", "By", "Bytes of request bodies and WebSocket frames received.");
        _bytesOut = _meter.CreateCounter<long>("typedsio.engine.bytes_sent", "By", "Bytes of poll responses and WebSocket frames sent.");
        _errors = _meter.CreateCounter<long>("typedsio.engine.connection_errors", "{error}", "Requests refused with an Engine.IO error code.");
    }

    public void Opened() => _connections.Add(1);

    public void Closed() => _connections.Add(-1);

    public void PacketReceived() => _packetsIn.Add(1);

    public void PacketSent() => _packetsOut.Add(1);

    public void BytesReceived(long bytes) => _bytesIn.Add(bytes);

    public void BytesSent(long bytes) => _bytesOut.Add(bytes);

    public void Error(int code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Dispose() => _meter.Dispose();
}
