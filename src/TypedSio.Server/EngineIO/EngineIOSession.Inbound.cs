using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

// Inbound messages reach the application in one of two ways, chosen by whoever reads first:
// - a receiver (the Socket.IO layer): called on the transport's own thread, with no copy of the data and no hand-off
//   to another thread; the transport reads on as soon as the receiver returns, and while a receiver call is still
//   running (an awaited namespace middleware, say) later messages wait in a queue of at most MaxReceiveQueue, so pings,
//   pongs and closes keep being handled;
// - ReadAllAsync (the Engine.IO API): a bounded channel the application drains at its own pace.
// Messages that arrive before either is chosen wait in the same queue.
internal sealed partial class EngineIOSession
{
    private Func<EngineIOMessage, ValueTask>? _receiver;
    private Channel<EngineIOMessage>? _inbound;
    private Queue<EngineIOMessage>? _waiting;
    private bool _delivering;
    private TaskCompletionSource? _queueSpace;

    public IAsyncEnumerable<EngineIOMessage> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_receiver is not null)
            {
                throw new InvalidOperationException("The connection's messages are already delivered to a receiver.");
            }

            if (_inbound is null)
            {
                // Room for what arrived before the application started reading, even past MaxReceiveQueue.
                var channel = Channel.CreateBounded<EngineIOMessage>(new BoundedChannelOptions(Math.Max(_options.MaxReceiveQueue, _waiting?.Count ?? 0))
                {
                    SingleReader = true,
                    SingleWriter = false,
                    FullMode = BoundedChannelFullMode.Wait,
                });
                while (_waiting is { Count: > 0 })
                {
                    channel.Writer.TryWrite(_waiting.Dequeue());
                }

                ReleaseQueueSpaceLocked();
                _inbound = channel;
                if (_state == SessionState.Closed)
                {
                    channel.Writer.TryComplete(); // what was received before the close can still be read
                }
            }

            return _inbound.Reader.ReadAllAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Delivers every message to <paramref name="receiver"/>, in order, one call at a time. The message's data is only
    /// valid until the receiver's first await or its return: it must decode or copy what it keeps before either.
    /// </summary>
    public void SetReceiver(Func<EngineIOMessage, ValueTask> receiver)
    {
        lock (_gate)
        {
            if (_receiver is not null || _inbound is not null)
            {
                throw new InvalidOperationException("The connection's messages are already delivered elsewhere.");
            }

            _receiver = receiver;
            if (_state != SessionState.Closed && _waiting is { Count: > 0 })
            {
                _delivering = true;
                _ = DeliverQueuedAsync(receiver);
            }
        }
    }

    // Called with the gate held for a message packet; returns what the transport awaits before reading on.
    private ValueTask OnMessageLocked(in EngineIOPacket packet, out Func<EngineIOMessage, ValueTask>? deliverNow)
    {
        deliverNow = null;
        if (_receiver is { } receiver && !_delivering)
        {
            _delivering = true;
            deliverNow = receiver;
            return ValueTask.CompletedTask;
        }

        // Kept beyond this call: the transport's buffer is reused once it returns, so keep a copy.
        var data = packet.Data.ToArray();
        var message = packet.IsBinary ? EngineIOMessage.Binary(data) : EngineIOMessage.Text(data);
        if (_inbound is { } channel)
        {
            // A full channel makes the transport wait (and a POST wait for its answer) until the application reads.
            return channel.Writer.TryWrite(message) ? ValueTask.CompletedTask : WriteWhenReadAsync(channel, message);
        }

        (_waiting ??= new Queue<EngineIOMessage>()).Enqueue(message);
        if (_waiting.Count < _options.MaxReceiveQueue)
        {
            return ValueTask.CompletedTask;
        }

        // Full: the transport stops reading (and a POST is not answered) until the application catches up.
        _queueSpace ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new ValueTask(_queueSpace.Task);
    }

    private async ValueTask WriteWhenReadAsync(Channel<EngineIOMessage> channel, EngineIOMessage message)
    {
        try
        {
            await channel.Writer.WriteAsync(message, _abort.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // closed while the application was not reading: the message dies with the session
        }
    }

    // The fast path: the receiver runs on the transport's thread with the transport's own buffer.
    private ValueTask DeliverNow(Func<EngineIOMessage, ValueTask> receiver, in EngineIOPacket packet)
    {
        ReadOnlyMemory<byte> data = packet.Data.IsSingleSegment ? packet.Data.First : packet.Data.ToArray();
        var message = packet.IsBinary ? EngineIOMessage.Binary(data) : EngineIOMessage.Text(data);
        ValueTask delivery;
        try
        {
            delivery = receiver(message);
        }
#pragma warning disable CA1031 // the application's failure closes its connection, not the server
        catch (Exception e)
#pragma warning restore CA1031
        {
            OnReceiverFailed(e);
            return ValueTask.CompletedTask;
        }

        if (!delivery.IsCompletedSuccessfully)
        {
            // The receiver went asynchronous: let the transport read on (later messages queue) and finish in the background.
            _ = FinishDeliveryAsync(receiver, delivery);
            return ValueTask.CompletedTask;
        }

        delivery.GetAwaiter().GetResult();
        lock (_gate)
        {
            if (_waiting is not { Count: > 0 } || _state == SessionState.Closed)
            {
                _delivering = false;
                return ValueTask.CompletedTask;
            }
        }

        _ = DeliverQueuedAsync(receiver);
        return ValueTask.CompletedTask;
    }

    private async Task FinishDeliveryAsync(Func<EngineIOMessage, ValueTask> receiver, ValueTask delivery)
    {
        try
        {
            await delivery.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031
        catch (Exception e)
#pragma warning restore CA1031
        {
            OnReceiverFailed(e);
        }

        await DeliverQueuedAsync(receiver).ConfigureAwait(false);
    }

    // Owns delivery (_delivering is set) until the queue is empty.
    private async Task DeliverQueuedAsync(Func<EngineIOMessage, ValueTask> receiver)
    {
        while (true)
        {
            EngineIOMessage message;
            TaskCompletionSource? space = null;
            lock (_gate)
            {
                if (_waiting is not { Count: > 0 } || _state == SessionState.Closed)
                {
                    _delivering = false;
                    ReleaseQueueSpaceLocked();
                    return;
                }

                message = _waiting.Dequeue();
                if (_queueSpace is not null && _waiting.Count < _options.MaxReceiveQueue)
                {
                    space = _queueSpace;
                    _queueSpace = null;
                }
            }

            space?.TrySetResult();
            try
            {
                await receiver(message).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
#pragma warning disable CA1031
            catch (Exception e)
#pragma warning restore CA1031
            {
                OnReceiverFailed(e);
            }
        }
    }

    private void ReleaseQueueSpaceLocked()
    {
        if (_queueSpace is { } space)
        {
            _queueSpace = null;
            space.TrySetResult();
        }
    }

    private void CompleteInboundLocked()
    {
        _inbound?.Writer.TryComplete();
        ReleaseQueueSpaceLocked();
    }

    private void OnReceiverFailed(Exception e)
    {
        Log.HandlerFailed(_logger, Id, e);
        Close(EngineIOCloseReason.ForcedClose);
    }
}
