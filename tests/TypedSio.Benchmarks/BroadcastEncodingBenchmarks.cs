using System.Buffers;
using BenchmarkDotNet.Attributes;
using TypedSio.EngineIO;
using TypedSio.SocketIO;

namespace TypedSio.Benchmarks;

/// <summary>
/// What a broadcast to a room costs in encoding: the packet encoded once and its bytes framed per recipient (what the
/// server does) against encoding it again for every recipient.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class BroadcastEncodingBenchmarks
{
    private readonly ArrayBufferWriter<byte> _wire = new(64 * 1024);
    private SocketIOPacket _packet = null!;

    [Params(1_000)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup() => _packet = SocketIOPacket.CreateEvent("broadcast", ["hello everyone"]);

    [Benchmark(Baseline = true, Description = "encode once, frame per recipient")]
    public long EncodeOnce()
    {
        var text = new ArrayBufferWriter<byte>(64);
        SocketIOPacketWriter.Write(_packet, text);
        var frame = EngineIOPacket.Text(EngineIOPacketType.Message, text.WrittenMemory);
        long total = 0;
        for (var i = 0; i < Recipients; i++)
        {
            _wire.ResetWrittenCount();
            EngineIOFrameCodec.WriteText(frame, _wire);
            total += _wire.WrittenCount;
        }

        return total;
    }

    [Benchmark(Description = "build and encode per recipient")]
    public long EncodePerRecipient()
    {
        long total = 0;
        for (var i = 0; i < Recipients; i++)
        {
            var packet = SocketIOPacket.CreateEvent("broadcast", ["hello everyone"]);
            var text = new ArrayBufferWriter<byte>(64);
            SocketIOPacketWriter.Write(packet, text);
            _wire.ResetWrittenCount();
            EngineIOFrameCodec.WriteText(EngineIOPacket.Text(EngineIOPacketType.Message, text.WrittenMemory), _wire);
            total += _wire.WrittenCount;
        }

        return total;
    }
}
