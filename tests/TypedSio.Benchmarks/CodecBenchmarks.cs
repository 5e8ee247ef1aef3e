using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using TypedSio.EngineIO;
using TypedSio.SocketIO;

namespace TypedSio.Benchmarks;

/// <summary>
/// Encode and decode costs of the codecs on the packets real applications send most: a small chat event, a 1 KiB
/// event, an event with a binary attachment, and a polling payload of ten packets.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly SocketIODecoder _decoder = new();
    private ReadOnlySequence<byte> _smallFrame;
    private ReadOnlySequence<byte> _largeFrame;
    private ReadOnlySequence<byte> _binaryText;
    private ReadOnlySequence<byte> _attachment;
    private ReadOnlySequence<byte> _pollingPayload;
    private SocketIOPacket _smallPacket = null!;
    private SocketIOPacket _largePacket = null!;
    private SocketIOPacket _binaryPacket = null!;
    private EngineIOPacket[] _pollingPackets = [];

    [GlobalSetup]
    public void Setup()
    {
        _smallPacket = SocketIOPacket.CreateEvent("chat", ["hi"]);
        _largePacket = SocketIOPacket.CreateEvent("doc", [new string('x', 1000)]);
        _binaryPacket = SocketIOPacket.CreateEvent("upload", ["a.png", new byte[1024]]);
        _smallFrame = Frame(_smallPacket);
        _largeFrame = Frame(_largePacket);
        _binaryText = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(_binaryPacket.ToString()));
        _attachment = new ReadOnlySequence<byte>(_binaryPacket.Attachments[0]);
        _pollingPackets = Enumerable.Range(0, 10)
            .Select(i => EngineIOPacket.Text(EngineIOPacketType.Message, "2[\"chat\",\"message " + i + "\"]"))
            .ToArray();
        var payload = new ArrayBufferWriter<byte>();
        EngineIOPayloadWriter.Write(_pollingPackets, payload);
        _pollingPayload = new ReadOnlySequence<byte>(payload.WrittenMemory.ToArray());
    }

    [Benchmark(Description = "decode small event (EIO frame + SIO packet)")]
    public SocketIOPacket? DecodeSmallEvent() => DecodeFrame(_smallFrame);

    [Benchmark(Description = "decode 1 KiB event")]
    public SocketIOPacket? DecodeLargeEvent() => DecodeFrame(_largeFrame);

    [Benchmark(Description = "decode event + 1 KiB attachment")]
    public SocketIOPacket? DecodeBinaryEvent()
    {
        _decoder.TryDecodeText(_binaryText, out _, out _);
        _decoder.TryDecodeBinary(_attachment, out var packet, out _);
        return packet;
    }

    [Benchmark(Description = "decode polling payload of 10 packets")]
    public int DecodePollingPayload()
    {
        var reader = new EngineIOPayloadReader(_pollingPayload);
        var count = 0;
        while (reader.TryRead(out var packet))
        {
            _decoder.TryDecodeText(packet.Data, out _, out _);
            count++;
        }

        return count;
    }

    [Benchmark(Description = "encode small event (build + write frame)")]
    public int EncodeSmallEvent()
    {
        _output.ResetWrittenCount();
        var packet = SocketIOPacket.CreateEvent("chat", ["hi"]);
        WriteFrame(packet);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "write prebuilt small event frame")]
    public int WriteSmallEvent()
    {
        _output.ResetWrittenCount();
        WriteFrame(_smallPacket);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "write prebuilt 1 KiB event frame")]
    public int WriteLargeEvent()
    {
        _output.ResetWrittenCount();
        WriteFrame(_largePacket);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "encode event + 1 KiB attachment")]
    public int EncodeBinaryEvent()
    {
        _output.ResetWrittenCount();
        var packet = SocketIOPacket.CreateEvent("upload", ["a.png", _binaryPacket.Attachments[0]]);
        WriteFrame(packet);
        EngineIOFrameCodec.WriteBinary(EngineIOPacket.Binary(packet.Attachments[0]), _output);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "write polling payload of 10 packets")]
    public int WritePollingPayload()
    {
        _output.ResetWrittenCount();
        EngineIOPayloadWriter.Write(_pollingPackets, _output);
        return _output.WrittenCount;
    }

    private SocketIOPacket? DecodeFrame(in ReadOnlySequence<byte> frame)
    {
        EngineIOFrameCodec.TryDecodeText(frame, EngineIOProtocolVersion.V4, out var engine, out _);
        _decoder.TryDecodeText(engine.Data, out var packet, out _);
        return packet;
    }

    private void WriteFrame(SocketIOPacket packet)
    {
        var span = _output.GetSpan(1);
        span[0] = (byte)'4';
        _output.Advance(1);
        SocketIOPacketWriter.Write(packet, _output);
    }

    private static ReadOnlySequence<byte> Frame(SocketIOPacket packet) =>
        new(Encoding.UTF8.GetBytes("4" + packet));
}
