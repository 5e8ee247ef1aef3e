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

    /// <summary>
    /// Takes what a GET answers with right now, or (status <see cref="PollStatus.Packets"/> with a non-null
    /// <paramref name="waiter"/>) registers the GET as the held poll; its task completes with the packets (see <see cref="RegisterPollAbort"/>).
    /// </summary>
    public PollStatus BeginPoll(out EngineIOPacket[] packets, out TaskCompletionSource<EngineIOPacket[]>? waiter)
    {
        waiter = null;
        packets = [];
        lock (_gate)
        {
            if (_state == SessionState.Closed || _webSocket is not null)
            {
                return PollStatus.Gone;
            }

            if (_poll is not null)
            {
                // Like the reference: the pending poll is told to close, the newcomer is refused, the session ends.
                var previous = _poll;
                _poll = null;
                previous.TrySetResult([ClosePacket]);
                Log.TransportError(_logger, Id, "overlapping poll from the client");
                CloseLocked(EngineIOCloseReason.TransportError);
                return PollStatus.Overlap;
            }

            if (_state == SessionState.Closing)
            {
                // As the reference: what was queued goes first, then a poll of its own carries noop + close.
                if (_buffer.Count > 0)
                {
                    packets = TakeBufferLocked();
                    return PollStatus.Packets;
                }

                CloseLocked(EngineIOCloseReason.ForcedClose);
                packets = [NoopPacket, ClosePacket];
                return PollStatus.Packets;
            }

            if (_buffer.Count > 0)
            {
                packets = TakeBufferLocked();
                return PollStatus.Packets;
            }

            if (_probed)
            {
                packets = [NoopPacket];
                return PollStatus.Packets;
            }

            // The session rides along as the task's state, so the abort registration needs no closure.
            waiter = new(this, TaskCreationOptions.RunContinuationsAsynchronously);
            _poll = waiter;
            _pollPendingSignal?.TrySetResult();
            _pollPendingSignal = null;
            return PollStatus.Packets;
        }
    }

    /// <summary>Makes a client that goes away while its poll is held close the session (dispose once the poll is answered).</summary>
    public static CancellationTokenRegistration RegisterPollAbort(TaskCompletionSource<EngineIOPacket[]> waiter, CancellationToken requestAborted) =>
        requestAborted.UnsafeRegister(
            static (state, _) =>
            {
                var waiter = (TaskCompletionSource<EngineIOPacket[]>)state!;
                ((EngineIOSession)waiter.Task.AsyncState!).OnPollAborted(waiter);
            },
            waiter);

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
