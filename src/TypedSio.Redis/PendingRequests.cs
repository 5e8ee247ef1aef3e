using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

/// <summary>A cluster request waiting for a number of answers (one per other server).</summary>
/// <typeparam name="T">What one answer carries.</typeparam>
internal sealed class PendingRequest<T>(int expected)
{
    private readonly List<T> _responses = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(T response)
    {
        lock (_responses)
        {
            _responses.Add(response);
            if (_responses.Count >= expected)
            {
                _done.TrySetResult();
            }
        }
    }

    public List<T> Take()
    {
        lock (_responses)
        {
            var taken = _responses.ToList();
            _responses.Clear();
            return taken;
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        PendingBroadcast.WaitOrTimeoutAsync(_done.Task, timeout, time, cancellationToken);
}

/// <summary>The remote side of a broadcast with acks: each server says how many clients it reached, then each client answers.</summary>
internal sealed class PendingBroadcast
{
    private readonly object _gate = new();
    private readonly List<SocketIOArguments> _acks = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expectedServers = -1;
    private int _servers;
    private int _clients;

    public IReadOnlyList<SocketIOArguments> Acks
    {
        get
        {
            lock (_gate)
            {
                return [.. _acks];
            }
        }
    }

    public void ExpectServers(int count)
    {
        lock (_gate)
        {
            _expectedServers = Math.Max(0, count);
            Check();
        }
    }

    public void OnClientCount(int clients)
    {
        lock (_gate)
        {
            _servers++;
            _clients += clients;
            Check();
        }
    }

    public void OnAck(SocketIOArguments ack)
    {
        lock (_gate)
        {
            _acks.Add(ack);
            Check();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => WaitOrTimeoutAsync(_done.Task, timeout, time, cancellationToken);

    /// <summary>
    /// After the request went out: learns how many other servers must answer, then merges this server's acks with
    /// theirs (both already under way, so neither waits for the other to start).
    /// </summary>
    public async Task<SocketIOBroadcastAckResult> CollectAsync(
        Task<int> serverCount, Task<SocketIOBroadcastAckResult> local, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ExpectServers(await serverCount.ConfigureAwait(false) - 1);
        var localResult = await local.ConfigureAwait(false);
        var remoteComplete = await WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        var responses = new List<SocketIOArguments>(localResult.Responses);
        responses.AddRange(Acks);
        return new SocketIOBroadcastAckResult(responses, localResult.Complete && remoteComplete);
    }

    /// <summary>Waits for a task; false when the timeout elapses first.</summary>
    internal static async Task<bool> WaitOrTimeoutAsync(Task done, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await done.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Check()
    {
        if (_expectedServers >= 0 && _servers >= _expectedServers && _acks.Count >= _clients)
        {
            _done.TrySetResult();
        }
    }
}
