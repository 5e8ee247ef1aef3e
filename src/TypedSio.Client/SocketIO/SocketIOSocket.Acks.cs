using TypedSio.SocketIO;

namespace TypedSio.Client;

public sealed partial class SocketIOSocket
{
    private readonly Dictionary<long, PendingAck> _acks = [];
    private readonly List<PendingAck> _queue = [];
    private long _nextAckId;

    private async Task<SocketIOPacket> SendWithAckAsync(string eventName, EmitArgs args, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        long id;
        lock (_gate)
        {
            id = _nextAckId++;
        }

        var packet = CreatePacket(eventName, args, id);
        var pending = new PendingAck(id, eventName, args, packet, timeout);
        lock (_gate)
        {
            _acks.Add(id, pending);
        }

        if (timeout is { } wait)
        {
            pending.Timer = _manager.TimeProvider.CreateTimer(_ => OnAckTimeout(pending), null, wait, Timeout.InfiniteTimeSpan);
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(() => Forget(pending, p => p.Completion.TrySetCanceled(cancellationToken)))
            : default;
        try
        {
            if (SendOrBuffer(packet, eventName, args, isVolatile: false) is { } write)
            {
                // A failed write means the connection is lost: the disconnect fails the ack, so only wait for that.
                await IgnoreFailureAsync(write);
            }
        }
        catch
        {
            Forget(pending, _ => { });
            throw;
        }

        return await pending.Completion.Task;
    }

    private void OnAckTimeout(PendingAck pending) =>
        Forget(pending, p => p.Completion.TrySetException(new SocketIOAckTimeoutException(p.EventName, p.Timeout ?? TimeSpan.Zero)));

    /// <summary>Stops waiting for an ack: forgets its id and drops the packet if it still waits in the buffer (as socket.io-client does).</summary>
    private void Forget(PendingAck pending, Action<PendingAck> complete)
    {
        lock (_gate)
        {
            if (!_acks.Remove(pending.Id))
            {
                return;
            }

            _sendBuffer.RemoveAll(b => ReferenceEquals(b.Packet, pending.Packet));
        }

        pending.Timer?.Dispose();
        complete(pending);
    }

    private void OnAckPacket(SocketIOPacket packet)
    {
        PendingAck? pending;
        bool queued;
        lock (_gate)
        {
            if (packet.AckId is not { } id || !_acks.Remove(id, out pending))
            {
                pending = null;
                queued = false;
            }
            else
            {
                queued = _queue.Remove(pending);
            }
        }

        if (pending is null)
        {
            Log.UnknownAck(_logger, Namespace, packet.AckId);
            return;
        }

        Log.AckReceived(_logger, Namespace, pending.Id, pending.EventName);
        pending.Timer?.Dispose();
        pending.Completion.TrySetResult(packet);
        if (queued)
        {
            DrainQueue(force: false);
        }
    }

    /// <summary>Fails the acks of packets already sent: their replies would come on a connection that is gone.</summary>
    private void FailAcks(string reason)
    {
        List<PendingAck> lost;
        lock (_gate)
        {
            lost = [.. _acks.Values.Where(p => !p.Reliable && !_sendBuffer.Exists(b => ReferenceEquals(b.Packet, p.Packet)))];
            foreach (var pending in lost)
            {
                _acks.Remove(pending.Id);
            }
        }

        foreach (var pending in lost)
        {
            pending.Timer?.Dispose();
            pending.Completion.TrySetException(new SocketIODisconnectedException(pending.EventName, reason));
        }
    }

    /// <summary>
    /// Adds an emit to the at-least-once queue: emits go out one at a time, each with one ack id it keeps across tries,
    /// and are sent again after each timeout until acknowledged or out of retries; a reconnection re-sends the head.
    /// </summary>
    private Task<SocketIOPacket> EnqueueReliable(string eventName, EmitArgs args, TimeSpan? timeout)
    {
        PendingAck pending;
        lock (_gate)
        {
            if (_queue.Count >= Math.Max(1, _options.MaxBufferedPackets))
            {
                throw new SocketIOBufferFullException(eventName, _options.MaxBufferedPackets);
            }

            var id = _nextAckId++;
            var packet = CreatePacket(eventName, args, id);
            pending = new PendingAck(id, eventName, args, packet, timeout ?? _options.AckTimeout) { Reliable = true };
            _acks.Add(id, pending);
            _queue.Add(pending);
        }

        DrainQueue(force: false);
        return pending.Completion.Task;
    }

    private void DrainQueue(bool force)
    {
        PendingAck head;
        Task? write;
        lock (_gate)
        {
            if (!_connected || _queue.Count == 0)
            {
                return;
            }

            head = _queue[0];
            if (head.InFlight && !force)
            {
                return;
            }

            head.InFlight = true;
            head.Tries++;
            head.Timer?.Dispose();
            if (head.Timeout is { } wait)
            {
                head.Timer = _manager.TimeProvider.CreateTimer(_ => OnTryTimeout(head), null, wait, Timeout.InfiniteTimeSpan);
            }

            // Not sent means the connection is closing: the reconnection re-sends the head (force).
            write = _manager.TryWritePacket(head.Packet);
        }

        Log.SendingQueued(_logger, Namespace, head.EventName, head.Id, head.Tries);
        if (write is not null)
        {
            _ = IgnoreFailureAsync(write);
            NotifyOutgoing(head.EventName, head.Args, head.Packet);
        }
    }

    private void OnTryTimeout(PendingAck pending)
    {
        bool exhausted;
        lock (_gate)
        {
            if (_queue.Count == 0 || !ReferenceEquals(_queue[0], pending))
            {
                return;
            }

            exhausted = pending.Tries > _options.Retries;
            if (exhausted)
            {
                _queue.RemoveAt(0);
                _acks.Remove(pending.Id);
            }
            else
            {
                pending.InFlight = false;
            }
        }

        if (exhausted)
        {
            pending.Timer?.Dispose();
            pending.Completion.TrySetException(new SocketIOAckTimeoutException(pending.EventName, pending.Timeout ?? TimeSpan.Zero, pending.Tries));
        }
        else
        {
            Log.RetryingQueued(_logger, Namespace, pending.EventName, pending.Id);
        }

        DrainQueue(force: false);
    }

    /// <summary>Answers a server's ack request; dropped when the connection is gone (the server's ack would time out anyway).</summary>
    internal Task SendAckAsync(long id, object?[] args)
    {
        var packet = SocketIOPacket.CreateAck(id, args, Namespace, _manager.Options.SerializerOptions);
        Log.SendingAck(_logger, Namespace, id);
        return _manager.TryWritePacket(packet) ?? Task.CompletedTask;
    }

    private sealed class PendingAck(long id, string eventName, EmitArgs args, SocketIOPacket packet, TimeSpan? timeout)
    {
        public long Id { get; } = id;

        public string EventName { get; } = eventName;

        public EmitArgs Args { get; } = args;

        public SocketIOPacket Packet { get; } = packet;

        public TimeSpan? Timeout { get; } = timeout;

        public TaskCompletionSource<SocketIOPacket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITimer? Timer { get; set; }

        public bool Reliable { get; init; }

        public bool InFlight { get; set; }

        public int Tries { get; set; }
    }
}
