using System.Text.Json;
using StackExchange.Redis;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

// The cluster-wide operations this server starts, and the answers it collects.
public sealed partial class RedisSocketIOAdapter
{
    /// <inheritdoc />
    public override async ValueTask<int> ServerCountAsync()
    {
        ThrowIfDisconnected();
        await WaitSubscribedAsync().ConfigureAwait(false);
        try
        {
            // Every server subscribes to the request channel exactly once: its subscriber count is the server count.
            var result = await _redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _requestChannel).ConfigureAwait(false);
            var entries = (RedisResult[])result!;
            return entries.Length >= 2 ? (int)(long)entries[1] : 0;
        }
        catch (RedisException exception)
        {
            throw new RedisAdapterException("Could not count the servers: " + exception.Message, exception);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<SocketIORemoteSocket>> FetchSocketsAsync(SocketIOBroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = await base.FetchSocketsAsync(options).ConfigureAwait(false);
        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Local))
        {
            return local;
        }

        var requestId = RedisWire.NewId();
        var request = RedisWire.Json(json =>
        {
            json.WriteString("uid"u8, Uid);
            json.WriteString("requestId"u8, requestId);
            json.WriteNumber("type"u8, (int)RedisRequestType.RemoteFetch);
            RedisWire.WriteJsonOptions(json, options);
        });
        var responses = await RequestAsync(requestId, request, await ServerCountAsync().ConfigureAwait(false) - 1, "fetchSockets").ConfigureAwait(false);
        var all = new List<SocketIORemoteSocket>(local);
        foreach (var response in responses)
        {
            if (response.RootElement.TryGetProperty("sockets"u8, out var sockets) && sockets.ValueKind == JsonValueKind.Array)
            {
                all.AddRange(sockets.EnumerateArray().Select(s => RedisRemoteSockets.Read(Namespace, s)));
            }

            response.Dispose();
        }

        return all;
    }

    /// <summary>Every room that has members on some server of the cluster (Node's <c>allRooms</c>).</summary>
    /// <returns>The room names.</returns>
    public async Task<IReadOnlySet<string>> AllRoomsAsync()
    {
        var rooms = new HashSet<string>(GetRooms().Keys, StringComparer.Ordinal);
        var requestId = RedisWire.NewId();
        var request = RedisWire.Json(json =>
        {
            json.WriteString("uid"u8, Uid);
            json.WriteString("requestId"u8, requestId);
            json.WriteNumber("type"u8, (int)RedisRequestType.AllRooms);
        });
        foreach (var response in await RequestAsync(requestId, request, await ServerCountAsync().ConfigureAwait(false) - 1, "allRooms").ConfigureAwait(false))
        {
            if (response.RootElement.TryGetProperty("rooms"u8, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                rooms.UnionWith(list.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String ? r.GetString()! : r.GetRawText()));
            }

            response.Dispose();
        }

        return rooms;
    }

    /// <inheritdoc />
    public override ValueTask AddSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms) =>
        RemoteSocketsAsync(RedisRequestType.RemoteJoin, options, rooms, close: false);

    /// <inheritdoc />
    public override ValueTask DelSocketsAsync(SocketIOBroadcastOptions options, IReadOnlyList<string> rooms) =>
        RemoteSocketsAsync(RedisRequestType.RemoteLeave, options, rooms, close: false);

    /// <inheritdoc />
    public override ValueTask DisconnectSocketsAsync(SocketIOBroadcastOptions options, bool close) =>
        RemoteSocketsAsync(RedisRequestType.RemoteDisconnect, options, [], close);

    /// <inheritdoc />
    public override async ValueTask ServerSideEmitAsync(SocketIOPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var request = RedisWire.Json(json =>
        {
            json.WriteString("uid"u8, Uid);
            json.WriteNumber("type"u8, (int)RedisRequestType.ServerSideEmit);
            json.WritePropertyName("data"u8);
            RedisWire.WritePayload(json, packet);
        });
        await PublishOrThrowAsync(_requestChannel, request).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<SocketIOBroadcastAckResult> ServerSideEmitWithAckAsync(SocketIOPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var expected = await ServerCountAsync().ConfigureAwait(false) - 1;
        if (expected <= 0)
        {
            return new SocketIOBroadcastAckResult([], true);
        }

        var requestId = RedisWire.NewId();
        var request = RedisWire.Json(json =>
        {
            json.WriteString("uid"u8, Uid);
            json.WriteString("requestId"u8, requestId);
            json.WriteNumber("type"u8, (int)RedisRequestType.ServerSideEmit);
            json.WritePropertyName("data"u8);
            RedisWire.WritePayload(json, packet);
        });
        var pending = new PendingRequest<JsonDocument>(expected);
        _requests[requestId] = pending;
        try
        {
            await PublishOrThrowAsync(_requestChannel, request).ConfigureAwait(false);
            var complete = await pending.WaitAsync(_options.RequestsTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var answers = pending.Take().Select(response =>
            {
                using (response)
                {
                    return RedisWire.SingleArgument(response.RootElement.TryGetProperty("data"u8, out var data) ? data : null, [], Namespace.Name);
                }
            }).ToList();
            return new SocketIOBroadcastAckResult(answers, complete);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    private async Task WaitSubscribedAsync()
    {
        try
        {
            await _subscribed.WaitAsync(_options.RequestsTimeout, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new RedisAdapterException("The adapter is not subscribed to Redis yet.", exception);
        }
    }

    private async ValueTask RemoteSocketsAsync(RedisRequestType type, SocketIOBroadcastOptions options, IReadOnlyList<string> rooms, bool close)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        var local = options.Flags.HasFlag(SocketIOBroadcastFlags.Local);
        if (!local)
        {
            // Published before acting here: a disconnect must not change the targets the request describes.
            var request = RedisWire.Json(json =>
            {
                json.WriteString("uid"u8, Uid);
                json.WriteNumber("type"u8, (int)type);
                RedisWire.WriteJsonOptions(json, options);
                if (type == RedisRequestType.RemoteDisconnect)
                {
                    json.WriteBoolean("close"u8, close);
                }
                else
                {
                    RedisWire.WriteJsonStrings(json, "rooms"u8, rooms);
                }
            });
            await PublishOrThrowAsync(_requestChannel, request).ConfigureAwait(false);
        }

        switch (type)
        {
            case RedisRequestType.RemoteJoin:
                await base.AddSocketsAsync(options, rooms).ConfigureAwait(false);
                break;
            case RedisRequestType.RemoteLeave:
                await base.DelSocketsAsync(options, rooms).ConfigureAwait(false);
                break;
            default:
                await base.DisconnectSocketsAsync(options, close).ConfigureAwait(false);
                break;
        }
    }

    // Publishes a request and waits for `expected` answers; throws when they do not all come in time, as Node rejects.
    private async Task<List<JsonDocument>> RequestAsync(string requestId, byte[] request, int expected, string operation)
    {
        if (expected <= 0)
        {
            return [];
        }

        var pending = new PendingRequest<JsonDocument>(expected);
        _requests[requestId] = pending;
        try
        {
            await PublishOrThrowAsync(_requestChannel, request).ConfigureAwait(false);
            if (!await pending.WaitAsync(_options.RequestsTimeout, _options.TimeProvider, CancellationToken.None).ConfigureAwait(false))
            {
                foreach (var response in pending.Take())
                {
                    response.Dispose();
                }

                throw new RedisAdapterTimeoutException($"timeout reached while waiting for {operation} response");
            }

            return pending.Take();
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    private Task OnResponseMessageAsync(string channel, byte[] message)
    {
        var (document, attachments) = RedisWire.Parse(message);
        var response = document.RootElement;
        var requestId = response.ValueKind == JsonValueKind.Object ? GetString(response, "requestId"u8) : null;
        if (requestId is not null && _ackRequests.TryGetValue(requestId, out var broadcast))
        {
            using (document)
            {
                var type = response.TryGetProperty("type"u8, out var t) && t.TryGetInt32(out var value) ? value : -1;
                if (type == (int)RedisRequestType.BroadcastClientCount && response.TryGetProperty("clientCount"u8, out var count) && count.TryGetInt32(out var clients))
                {
                    broadcast.OnClientCount(clients);
                }
                else if (type == (int)RedisRequestType.BroadcastAck)
                {
                    broadcast.OnAck(RedisWire.SingleArgument(response.TryGetProperty("packet"u8, out var p) ? p : null, attachments, Namespace.Name));
                }
            }
        }
        else if (requestId is not null && _requests.TryGetValue(requestId, out var pending))
        {
            pending.Add(document);
        }
        else
        {
            document.Dispose();
        }

        return Task.CompletedTask;
    }
}
