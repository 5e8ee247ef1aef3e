using System.Text.Json;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

// Broadcasts with acknowledgements across the cluster, and the bookkeeping of requests waiting for answers.
public sealed partial class RedisSocketIOAdapter
{
    /// <inheritdoc />
    public override async Task<SocketIOBroadcastAckResult> BroadcastWithAckAsync(
        SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            return await base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken).ConfigureAwait(false);
        }

        var requestId = RedisWire.NewId();
        var remote = new PendingBroadcast();
        _ackRequests[requestId] = remote;
        try
        {
            await PublishOrThrowAsync(_requestChannel, RedisWire.EncodeBroadcastRequest(Uid, requestId, packet, options, timeout)).ConfigureAwait(false);
            var servers = ServerCountAsync().AsTask();
            var local = base.BroadcastWithAckAsync(packet, options, timeout, cancellationToken);
            remote.ExpectServers(await servers.ConfigureAwait(false) - 1);
            var localResult = await local.ConfigureAwait(false);
            var remoteComplete = await remote.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var responses = new List<SocketIOArguments>(localResult.Responses);
            responses.AddRange(remote.Acks);
            return new SocketIOBroadcastAckResult(responses, localResult.Complete && remoteComplete);
        }
        finally
        {
            _ackRequests.TryRemove(requestId, out _);
        }
    }

    /// <summary>A request waiting for a number of answers.</summary>
    private sealed class PendingRequest(int expected)
    {
        private readonly List<JsonDocument> _responses = [];
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(JsonDocument response)
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

        public List<JsonDocument> Take()
        {
            lock (_responses)
            {
                var taken = _responses.ToList();
                _responses.Clear();
                return taken;
            }
        }

        public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) => WaitOrTimeoutAsync(_done.Task, timeout, time, cancellationToken);
    }

    /// <summary>The remote side of a broadcast with acks: each server says how many clients it reached, then each client answers.</summary>
    private sealed class PendingBroadcast
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

        private void Check()
        {
            if (_expectedServers >= 0 && _servers >= _expectedServers && _acks.Count >= _clients)
            {
                _done.TrySetResult();
            }
        }
    }

    private static async Task<bool> WaitOrTimeoutAsync(Task done, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
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
}
