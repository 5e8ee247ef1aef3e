using TypedSio.SocketIO;

namespace TypedSio.Hubs.Tests;

/// <summary>Records what proxies emit and answers acks from a queue of reply packets.</summary>
internal sealed class FakeEmitter : ISocketIOEmitter
{
    public List<SocketIOPacket> Sent { get; } = [];

    public List<TimeSpan?> Timeouts { get; } = [];

    public Queue<SocketIOPacket> Replies { get; } = new();

    public Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
    {
        Sent.Add(eventPacket);
        return Task.CompletedTask;
    }

    public Task<SocketIOArguments> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Sent.Add(eventPacket);
        Timeouts.Add(timeout);
        return Task.FromResult(Replies.Dequeue().GetArguments());
    }
}

internal sealed class FakeBroadcastEmitter : IBroadcastEmitter
{
    public List<SocketIOPacket> Sent { get; } = [];

    public List<TimeSpan> Timeouts { get; } = [];

    public List<SocketIOPacket> Replies { get; } = [];

    public Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
    {
        Sent.Add(eventPacket);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SocketIOArguments>> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Sent.Add(eventPacket);
        Timeouts.Add(timeout);
        return Task.FromResult<IReadOnlyList<SocketIOArguments>>(Replies.Select(r => r.GetArguments()).ToList());
    }
}

/// <summary>Keeps handlers by event name and lets tests deliver decoded packets to them.</summary>
internal sealed class FakeRegistry : ISocketIOEventRegistry
{
    public Dictionary<string, SocketIOEventHandler> Handlers { get; } = new(StringComparer.Ordinal);

    public IDisposable On(string eventName, SocketIOEventHandler handler)
    {
        Handlers.Add(eventName, handler);
        return new Subscription(() => Handlers.Remove(eventName));
    }

    public ValueTask<SocketIOPacket?> DeliverAsync(string frame, CancellationToken cancellationToken = default)
    {
        var packet = Wire.Decode(frame);
        return Handlers[packet.EventName!](packet.GetArguments(), cancellationToken);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

internal sealed class FakeTargets : ISocketHubTargets
{
    public FakeEmitter CallerEmitter { get; } = new();

    public FakeBroadcastEmitter AllEmitter { get; } = new();

    public Dictionary<string, FakeBroadcastEmitter> Rooms { get; } = [];

    public ISocketIOEmitter Caller => CallerEmitter;

    public IBroadcastEmitter All => AllEmitter;

    public IBroadcastEmitter Others => AllEmitter;

    public ISocketIOEmitter Socket(string socketId) => CallerEmitter;

    public IBroadcastEmitter Room(string room) => GetRoom(room);

    public IBroadcastEmitter Except(string room) => GetRoom("!" + room);

    public FakeBroadcastEmitter GetRoom(string room)
    {
        if (!Rooms.TryGetValue(room, out var emitter))
        {
            emitter = new FakeBroadcastEmitter();
            Rooms.Add(room, emitter);
        }

        return emitter;
    }
}

internal static class Wire
{
    public static SocketIOPacket Decode(string frame)
    {
        var decoder = new SocketIODecoder();
        Assert.True(decoder.TryDecodeText(frame, out var packet, out var error), error.ToString());
        return packet!;
    }

    public static SocketIOPacket Ack(string payloadJson) =>
        new(SocketIOPacketType.Ack, "/", System.Text.Encoding.UTF8.GetBytes(payloadJson), ackId: 1);
}
