namespace TypedSio.Server.EngineIO;

// While a WebSocket read loop handles the frames one read brought in, the writes they cause are held back and written
// when the loop is about to wait for the network again. The replies to a burst of requests then go out in one drain, and
// a burst of broadcasts reaches each recipient in one drain rather than one per broadcast, with no hand-off to another
// thread (that would cost a wake-up per message at light load). The deferral is per thread and never outlives the
// synchronous stretch of the loop that opened it: the loop ends it before every wait that does not complete at once.
internal sealed partial class EngineIOSession
{
    [ThreadStatic]
    private static DeferredDrains? t_deferred;

    /// <summary>Sessions whose drain waits for the end of the current read batch on this thread.</summary>
    private sealed class DeferredDrains
    {
        public bool IsOpen;
        public readonly List<(EngineIOSession Session, EngineIOWebSocket Socket)> Pending = [];
    }

    private static void BeginDeferringDrains() => (t_deferred ??= new DeferredDrains()).IsOpen = true;

    /// <summary>Stops deferring on this thread and drains the sessions written to meanwhile.</summary>
    private static void EndDeferringDrains()
    {
        if (t_deferred is not { IsOpen: true } deferred)
        {
            return;
        }

        // Closed first: a send made while these drains run (none is expected) writes through instead of waiting here.
        deferred.IsOpen = false;
        var pending = deferred.Pending;
        for (var i = 0; i < pending.Count; i++)
        {
            var (session, socket) = pending[i];
            session.Drain(socket);
        }

        pending.Clear();
    }

    /// <summary>Under the gate, for a sender that now owns the drain: true when the drain was deferred to the batch end.</summary>
    private bool TryDeferDrainLocked(EngineIOWebSocket socket)
    {
        if (t_deferred is not { IsOpen: true } deferred)
        {
            return false;
        }

        deferred.Pending.Add((this, socket));
        return true;
    }
}
