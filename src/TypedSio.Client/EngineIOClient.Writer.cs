using TypedSio.Client.Transports;
using TypedSio.EngineIO;

namespace TypedSio.Client;

public sealed partial class EngineIOClient
{
    private Exception? _closeError;

    /// <summary>
    /// Queues a message and waits until it is written. Waits first while <see cref="EngineIOClientOptions.SendQueueLimit"/>
    /// messages are queued, so a sender faster than the connection is slowed down instead of filling memory.
    /// </summary>
    private async Task EnqueueAsync(EngineIOPacket packet, CancellationToken cancellationToken)
    {
        if (ReadyState != EngineIOReadyState.Open)
        {
            throw new InvalidOperationException($"Messages can be sent once the session is open; it is {ReadyState}.");
        }

        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token))
        {
            try
            {
                await _sendSlots.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw ClosedBeforeSent();
            }
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outgoing.Writer.TryWrite(new Outgoing(packet, completion)))
        {
            _sendSlots.Release();
            throw ClosedBeforeSent();
        }

        await completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues a control packet (pong, v3 ping): never waits, never counts against the limit.</summary>
    private bool Enqueue(EngineIOPacket packet, TaskCompletionSource? completion) =>
        _outgoing.Writer.TryWrite(new Outgoing(packet, completion));

    private Exception ClosedBeforeSent() =>
        _closeError ?? new InvalidOperationException("The Engine.IO session closed before the message was sent.");

    /// <summary>Reports the outcome of one queued packet and frees its place in the queue.</summary>
    private void Complete(Outgoing outgoing, Exception? error)
    {
        if (outgoing.Completion is not { } completion)
        {
            return;
        }

        if (error is null)
        {
            completion.TrySetResult();
        }
        else
        {
            completion.TrySetException(error);
        }

        _sendSlots.Release();
    }

    /// <summary>The one writer: takes what is queued, in order, and hands it to whichever transport is current.</summary>
    private async Task WriteLoopAsync()
    {
        var reader = _outgoing.Reader;
        var batch = new List<Outgoing>();
        var packets = new List<EngineIOPacket>();
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token))
            {
                await _writeLock.WaitAsync(_abort.Token);
                try
                {
                    var transport = _transport!;
                    TakeBatch(reader, batch, transport.Kind == EngineIOTransportKind.Polling ? _handshake?.MaxPayload : null);
                    if (batch.Count == 0)
                    {
                        continue;
                    }

                    packets.Clear();
                    packets.AddRange(batch.Select(b => b.Packet));
                    Log.Flushing(_logger, packets.Count, transport.Kind);
                    await transport.WriteAsync(packets, _abort.Token);
                }
                finally
                {
                    _writeLock.Release();
                }

                foreach (var sent in batch)
                {
                    Complete(sent, error: null);
                }

                batch.Clear();
            }
        }
        catch (Exception) when (_abort.IsCancellationRequested)
        {
            // Closed under the writer (whatever the aborted transport threw): the reason the session closed is what the
            // sender needs to know, e.g. that the server forgot the session.
            FailBatch(batch, ClosedBeforeSent());
        }
        catch (Exception exception)
        {
            var error = ConnectFailures.Map(exception, _context) ?? exception;
            FailBatch(batch, error);
            OnClose("transport error", error);
        }
    }

    /// <summary>
    /// Takes queued packets; over long-polling only as many as fit in the server's maxPayload (the reference client does
    /// the same), except that a single packet is always taken so that an oversized one is refused by the server rather
    /// than stuck here.
    /// </summary>
    private static void TakeBatch(System.Threading.Channels.ChannelReader<Outgoing> reader, List<Outgoing> batch, long? maxPayload)
    {
        long size = 0;
        while (reader.TryPeek(out var next))
        {
            var length = EngineIOFrameCodec.GetTextLength(next.Packet) + (batch.Count > 0 ? 1 : 0);
            if (maxPayload is { } max && batch.Count > 0 && size + length > max)
            {
                return;
            }

            reader.TryRead(out _);
            batch.Add(next);
            size += length;
        }
    }

    private void FailBatch(List<Outgoing> batch, Exception error)
    {
        foreach (var failed in batch)
        {
            Complete(failed, error);
        }

        batch.Clear();
    }

    private sealed record Outgoing(EngineIOPacket Packet, TaskCompletionSource? Completion);
}
