using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using TypedSio.Hubs;
using TypedSio.SocketIO;

namespace TypedSio.Benchmarks;

/// <summary>The server side of a typed contract, as the generator sees it.</summary>
public interface IEchoServer
{
    Task<string> Echo(string text);

    ValueTask Note(int count, string text);
}

/// <summary>The client side (what the hub's <c>Clients</c> proxies call).</summary>
public interface IEchoClient
{
    Task Echoed(string text, int count);
}

/// <summary>A hub whose generated dispatcher is measured against the untyped handler API.</summary>
public sealed partial class EchoHub : SocketHub<IEchoClient>, IEchoServer
{
    public int Notes { get; private set; }

    public Task<string> Echo(string text) => Task.FromResult(text);

    public ValueTask Note(int count, string text)
    {
        Notes += count;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Generated typed dispatch against the untyped API on the same decoded packets: reading the arguments, calling the
/// method, and building the ack (for <c>Echo</c>); and a generated client proxy against <c>CreateEvent</c> for an emit.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class HubDispatchBenchmarks
{
    private readonly EchoHub _hub = new();
    private readonly CountingEmitter _emitter = new();
    private SocketIOPacket _echo = null!;
    private SocketIOPacket _note = null!;
    private IEchoClient _proxy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _echo = Decode("21[\"echo\",\"hello\"]");
        _note = Decode("2[\"note\",3,\"hello\"]");
        _proxy = _emitter.CreateProxy<IEchoClient>();
    }

    [Benchmark(Description = "typed: generated dispatch, ack with result")]
    public ValueTask<SocketIOPacket?> TypedEcho() => _hub.DispatchAsync(_echo.EventName!, _echo.GetArguments(), CancellationToken.None);

    [Benchmark(Description = "untyped: GetValue + CreateAck")]
    public SocketIOPacket UntypedEcho()
    {
        var arguments = _echo.GetArguments();
        var text = (string?)arguments.GetValue(0);
        return SocketIOPacket.CreateAck(0, [text]);
    }

    [Benchmark(Description = "typed: generated dispatch, (int, string) no ack")]
    public ValueTask<SocketIOPacket?> TypedNote() => _hub.DispatchAsync(_note.EventName!, _note.GetArguments(), CancellationToken.None);

    [Benchmark(Description = "untyped: ToValues, (int, string) no ack")]
    public object?[] UntypedNote() => _note.GetArguments().ToValues();

    [Benchmark(Description = "typed: generated proxy emit")]
    public Task TypedEmit() => _proxy.Echoed("hello", 3);

    [Benchmark(Description = "untyped: CreateEvent emit")]
    public Task UntypedEmit() => _emitter.EmitAsync(SocketIOPacket.CreateEvent("echoed", ["hello", 3]), CancellationToken.None);

    private static SocketIOPacket Decode(string text)
    {
        new SocketIODecoder().TryDecodeText(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), out var packet, out _);
        return packet!;
    }

    private sealed class CountingEmitter : ISocketIOEmitter
    {
        public long Count;

        public Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
        {
            Count += eventPacket.Payload.Length;
            return Task.CompletedTask;
        }

        public Task<SocketIOArguments> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
