using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

// Long-polling: at most one GET is held open (_poll) until there is something to send; POSTs are processed one at a time.
internal sealed partial class EngineIOSession
{
    private TaskCompletionSource<EngineIOPacket[]>? _poll;
    private bool _posting;
    private ITimer? _closeTimer;
    private TaskCompletionSource? _pollPendingSignal;

    internal enum PollStatus
    {
        /// <summary>Answer with these packets.</summary>
        Packets,

        /// <summary>Another poll was already pending: answer 400; the session is closed.</summary>
        Overlap,

        /// <summary>The session is closed or no longer polling.</summary>
        Gone,
    }

    /// <summary>Waits until there is something to send on a GET, without ever answering empty.</summary>
    public async Task<(PollStatus Status, EngineIOPacket[] Packets)> PollAsync(CancellationToken requestAborted)
    {
        TaskCompletionSource<EngineIOPacket[]> waiter;
        lock (_gate)
        {
            if (_state == SessionState.Closed || _webSocket is not null)
            {
                return (PollStatus.Gone, []);
            }

            if (_poll is not null)
            {
                // Like the reference: the pending poll is told to close, the newcomer is refused, the session ends.
                var previous = _poll;
                _poll = null;
                previous.TrySetResult([ClosePacket]);
                Log.TransportError(_logger, Id, "overlapping poll from the client");
                CloseLocked(EngineIOCloseReason.TransportError);
                return (PollStatus.Overlap, []);
            }

            if (_state == SessionState.Closing)
            {
                // As the reference: what was queued goes first, then a poll of its own carries noop + close.
                if (_buffer.Count > 0)
                {
                    return (PollStatus.Packets, TakeBufferLocked());
                }

                CloseLocked(EngineIOCloseReason.ForcedClose);
                return (PollStatus.Packets, [NoopPacket, ClosePacket]);
            }

            if (_buffer.Count > 0)
            {
                return (PollStatus.Packets, TakeBufferLocked());
            }

            if (_probed)
            {
                return (PollStatus.Packets, [NoopPacket]);
            }

            waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _poll = waiter;
            _pollPendingSignal?.TrySetResult();
            _pollPendingSignal = null;
        }

        using (requestAborted.UnsafeRegister(static (state, _) => ((EngineIOSession)((object[])state!)[0]).OnPollAborted((TaskCompletionSource<EngineIOPacket[]>)((object[])state!)[1]), new object[] { this, waiter }))
        {
            return (PollStatus.Packets, await waiter.Task);
        }
    }

    /// <summary>Completes once a GET is held open (tests use it to know a poll reached the server).</summary>
    internal Task WhenPollPendingAsync()
    {
        lock (_gate)
        {
            if (_poll is not null)
            {
                return Task.CompletedTask;
            }

            _pollPendingSignal ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
            return _pollPendingSignal.Task;
        }
    }

    /// <summary>Marks the start of a POST; false (and the session closed) when another is still being processed.</summary>
    public bool TryBeginPost()
    {
        lock (_gate)
        {
            if (_posting)
            {
                Log.TransportError(_logger, Id, "overlapping data request from the client");
                CloseLocked(EngineIOCloseReason.TransportError);
                return false;
            }

            _posting = true;
            return true;
        }
    }

    public void EndPost()
    {
        lock (_gate)
        {
            _posting = false;
        }
    }

    private void OnPollAborted(TaskCompletionSource<EngineIOPacket[]> waiter)
    {
        lock (_gate)
        {
            if (_poll != waiter)
            {
                return;
            }

            _poll = null;
            waiter.TrySetResult([]);
            Log.TransportError(_logger, Id, "poll connection closed prematurely");
            CloseLocked(EngineIOCloseReason.TransportError);
        }
    }

    private void FlushPollLocked()
    {
        if (_poll is { } waiter && _buffer.Count > 0)
        {
            _poll = null;
            waiter.TrySetResult(TakeBufferLocked());
        }
    }

    private void ReleasePollLocked(EngineIOPacket packet)
    {
        if (_poll is { } waiter)
        {
            _poll = null;
            waiter.TrySetResult([packet]);
        }
    }

    private void ReleasePollOnCloseLocked(EngineIOCloseReason reason) =>
        // A client that said close gets a noop for its pending poll; in any other case the poll carries the close.
        ReleasePollLocked(reason == EngineIOCloseReason.TransportClose ? NoopPacket : ClosePacket);

    private void BeginPollingCloseLocked()
    {
        if (_poll is { } waiter)
        {
            _poll = null;
            waiter.TrySetResult([.. TakeBufferLocked(), ClosePacket]);
            CloseLocked(EngineIOCloseReason.ForcedClose);
            return;
        }

        // The close packet goes out with the next poll; a client that never polls again is let go after a while.
        _closeTimer = _time.CreateTimer(
            static s =>
            {
                var session = (EngineIOSession)s!;
                lock (session._gate)
                {
                    session.CloseLocked(EngineIOCloseReason.ForcedClose);
                }
            },
            this,
            _options.PollingCloseTimeout,
            Timeout.InfiniteTimeSpan);
    }
}
