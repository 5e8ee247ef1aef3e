using System.Text.Json;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

// Answers what the other servers publish. Every request type of the cluster adapter is answered the way Node answers it:
// a server that ignores one makes the others wait until their timeout.
public sealed partial class RedisShardedSocketIOAdapter
{
    private async Task OnMessageAsync(ReadOnlyMemory<byte> raw)
    {
        using var message = ClusterMessage.Parse(raw);
        if (message.Uid == Uid || message.Nsp != Namespace.Name)
        {
            return;
        }

        var requestId = message.DataText("requestId"u8);
        switch (message.Type)
        {
            case ClusterMessageType.Broadcast when requestId is null:
                var (packet, options, _) = ClusterWire.ReadBroadcast(message, Namespace.Name);
                await base.BroadcastAsync(packet, options).ConfigureAwait(false);
                break;
            case ClusterMessageType.Broadcast:
                OnBroadcastWithAck(message, requestId);
                break;
            case ClusterMessageType.SocketsJoin:
                await base.AddSocketsAsync(ReadOptions(message), ReadRooms(message)).ConfigureAwait(false);
                break;
            case ClusterMessageType.SocketsLeave:
                await base.DelSocketsAsync(ReadOptions(message), ReadRooms(message)).ConfigureAwait(false);
                break;
            case ClusterMessageType.DisconnectSockets:
                await base.DisconnectSocketsAsync(ReadOptions(message), message.DataProperty("close"u8).ValueKind == JsonValueKind.True).ConfigureAwait(false);
                break;
            case ClusterMessageType.FetchSockets when requestId is not null:
                var sockets = await base.FetchSocketsAsync(ReadOptions(message)).ConfigureAwait(false);
                await RespondAsync(message.Uid, ClusterMessageType.FetchSocketsResponse, (json, attachments) =>
                {
                    json.WriteString("requestId"u8, requestId);
                    json.WriteStartArray("sockets"u8);
                    foreach (var socket in sockets)
                    {
                        RedisRemoteSockets.Write(json, socket, attachments);
                    }

                    json.WriteEndArray();
                }).ConfigureAwait(false);
                break;
            case ClusterMessageType.ServerSideEmit:
                OnServerSideEmit(message, requestId);
                break;
            case ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmitResponse
                or ClusterMessageType.BroadcastClientCount or ClusterMessageType.BroadcastAck:
                // Node handles a response that arrives on the namespace channel as a response.
                OnResponse(message);
                break;
            default:
                // Heartbeats and adapter-close notices belong to the heartbeat-based adapters; nothing to answer.
                break;
        }
    }

    private Task OnResponseAsync(ReadOnlyMemory<byte> raw)
    {
        using var message = ClusterMessage.Parse(raw);
        OnResponse(message);
        return Task.CompletedTask;
    }

    private void OnResponse(ClusterMessage message)
    {
        if (message.DataText("requestId"u8) is not { } requestId)
        {
            return;
        }

        switch (message.Type)
        {
            case ClusterMessageType.BroadcastClientCount when _ackRequests.TryGetValue(requestId, out var broadcast):
                if (message.DataProperty("clientCount"u8) is { ValueKind: JsonValueKind.Number } count && count.TryGetInt32(out var clients))
                {
                    broadcast.OnClientCount(clients);
                }

                break;
            case ClusterMessageType.BroadcastAck when _ackRequests.TryGetValue(requestId, out var broadcast):
                broadcast.OnAck(SingleArgument(message));
                break;
            case ClusterMessageType.FetchSocketsResponse when _fetchRequests.TryGetValue(requestId, out var fetch):
                var list = message.DataProperty("sockets"u8);
                fetch.Add(list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(s => RedisRemoteSockets.Read(Namespace, s, message.Attachments)).ToList()
                    : []);
                break;
            case ClusterMessageType.ServerSideEmitResponse when _emitRequests.TryGetValue(requestId, out var emit):
                emit.Add(SingleArgument(message));
                break;
            default:
                break;
        }
    }

    private void OnServerSideEmit(ClusterMessage message, string? requestId)
    {
        if (ClusterWire.ReadServerSideEvent(message, Namespace.Name) is not { } packet)
        {
            return;
        }

        if (requestId is null)
        {
            Namespace.OnServerSideEvent(packet);
            return;
        }

        // Answered in the background: the handler may take time, and the subscription must go on meanwhile.
        _ = AnswerServerSideEmitAsync(packet, message.Uid, requestId);
    }

    private async Task AnswerServerSideEmitAsync(SocketIOPacket packet, string? requesterUid, string requestId)
    {
        var (answered, value) = await Namespace.OnServerSideEventWithAckAsync(packet).ConfigureAwait(false);
        if (answered)
        {
            await RespondAsync(requesterUid, ClusterMessageType.ServerSideEmitResponse, (json, attachments) =>
            {
                json.WriteString("requestId"u8, requestId);
                json.WritePropertyName("packet"u8);
                ClusterWire.WriteSingleValue(json, attachments, value);
            }).ConfigureAwait(false);
        }
    }

    private void OnBroadcastWithAck(ClusterMessage message, string requestId)
    {
        var (packet, options, timeout) = ClusterWire.ReadBroadcast(message, Namespace.Name);

        // Sent here, in the subscription's order; the client count and the answers are published in the background.
        _ = RelayAcksAsync(packet, options, timeout ?? _options.RequestsTimeout, message.Uid, requestId);
    }

    // The packet is encoded once for every local recipient (one ack id); each answer is relayed as it comes, after the
    // client count, as the requester needs the count to know how many answers to wait for.
    private async Task RelayAcksAsync(SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, string? requesterUid, string requestId)
    {
        var countSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientCount = SendWithAcksLocally(
            packet,
            options,
            timeout,
            async ack =>
            {
                await countSent.Task.ConfigureAwait(false);
                await RespondAsync(requesterUid, ClusterMessageType.BroadcastAck, (json, attachments) =>
                {
                    json.WriteString("requestId"u8, requestId);
                    if (ack.Count > 0)
                    {
                        json.WritePropertyName("packet"u8);
                        ClusterWire.WriteSingleValue(json, attachments, ack.GetValue(0));
                    }
                }).ConfigureAwait(false);
            },
            out var completion);
        try
        {
            await RespondAsync(requesterUid, ClusterMessageType.BroadcastClientCount, (json, _) =>
            {
                json.WriteString("requestId"u8, requestId);
                json.WriteNumber("clientCount"u8, clientCount);
            }).ConfigureAwait(false);
        }
        finally
        {
            countSent.TrySetResult();
        }

        await completion.ConfigureAwait(false);
    }

    // Node answers on the requester's own channel, {prefix}#{nsp}#{uid}#.
    private Task RespondAsync(string? requesterUid, ClusterMessageType type, Action<Utf8JsonWriter, List<ReadOnlyMemory<byte>>> writeData) =>
        requesterUid is null ? Task.CompletedTask : PublishAsync(_channel + requesterUid + "#", Encode(type, writeData));

    private SocketIOArguments SingleArgument(ClusterMessage message) =>
        RedisWire.SingleArgument(message.DataProperty("packet"u8) is { ValueKind: not JsonValueKind.Undefined } value ? value : null, message.Attachments, Namespace.Name);

    private static SocketIOBroadcastOptions ReadOptions(ClusterMessage message) => RedisWire.ReadOptions(message.DataProperty("opts"u8)).Options;

    private static List<string> ReadRooms(ClusterMessage message)
    {
        var rooms = new List<string>();
        var list = message.DataProperty("rooms"u8);
        if (list.ValueKind == JsonValueKind.Array)
        {
            // Node rooms may be numbers (socket.join(42)); TypedSio rooms are strings.
            rooms.AddRange(list.EnumerateArray().Select(r => r.ValueKind == JsonValueKind.String ? r.GetString()! : r.GetRawText()));
        }
        else if (list.ValueKind == JsonValueKind.String)
        {
            // socketsJoin("room") passes the room itself, not an array.
            rooms.Add(list.GetString()!);
        }

        return rooms;
    }
}
