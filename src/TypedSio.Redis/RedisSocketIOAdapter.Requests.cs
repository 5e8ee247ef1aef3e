using System.Text.Json;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

// Answers the requests other servers (and emitters) publish on the request channel. Every request type is answered the
// way Node's adapter answers it: a server that ignores one makes the others wait until their timeout.
public sealed partial class RedisSocketIOAdapter
{
    private async Task OnRequestMessageAsync(string channel, byte[] message)
    {
        var (document, attachments) = RedisWire.Parse(message);
        using (document)
        {
            var request = document.RootElement;
            if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("type"u8, out var t) || !t.TryGetInt32(out var type))
            {
                return;
            }

            var requestId = GetString(request, "requestId"u8);
            var uid = GetString(request, "uid"u8);
            switch ((RedisRequestType)type)
            {
                case RedisRequestType.Sockets when !IsOwn(requestId):
                    var ids = GetSockets(new SocketIOBroadcastOptions(ReadRooms(request, "rooms"u8), new HashSet<string>(), 0));
                    await RespondAsync(uid, RedisWire.Json(json =>
                    {
                        json.WriteString("requestId"u8, requestId);
                        RedisWire.WriteJsonStrings(json, "sockets"u8, ids);
                    })).ConfigureAwait(false);
                    break;
                case RedisRequestType.AllRooms when !IsOwn(requestId):
                    var rooms = GetRooms().Keys.ToList();
                    await RespondAsync(uid, RedisWire.Json(json =>
                    {
                        json.WriteString("requestId"u8, requestId);
                        RedisWire.WriteJsonStrings(json, "rooms"u8, rooms);
                    })).ConfigureAwait(false);
                    break;
                case RedisRequestType.RemoteJoin or RedisRequestType.RemoteLeave or RedisRequestType.RemoteDisconnect:
                    await OnRemoteSocketsRequestAsync((RedisRequestType)type, request, uid, requestId).ConfigureAwait(false);
                    break;
                case RedisRequestType.RemoteFetch when !IsOwn(requestId):
                    var (options, _) = RedisWire.ReadOptions(request.TryGetProperty("opts"u8, out var o) ? o : default);
                    var sockets = await base.FetchSocketsAsync(options).ConfigureAwait(false);
                    await RespondAsync(uid, RedisWire.Json(json =>
                    {
                        json.WriteString("requestId"u8, requestId);
                        json.WriteStartArray("sockets"u8);
                        foreach (var socket in sockets)
                        {
                            RedisRemoteSockets.Write(json, socket);
                        }

                        json.WriteEndArray();
                    })).ConfigureAwait(false);
                    break;
                case RedisRequestType.ServerSideEmit when uid != Uid:
                    await OnServerSideEmitAsync(request, attachments, requestId).ConfigureAwait(false);
                    break;
                case RedisRequestType.Broadcast when requestId is not null && !_ackRequests.ContainsKey(requestId):
                    OnBroadcastWithAck(request, attachments, uid, requestId);
                    break;
                default:
                    break;
            }
        }
    }

    private async Task OnRemoteSocketsRequestAsync(RedisRequestType type, JsonElement request, string? uid, string? requestId)
    {
        if (request.TryGetProperty("opts"u8, out var opts) && opts.ValueKind == JsonValueKind.Object)
        {
            // This server applied its own request before publishing it.
            if (uid == Uid)
            {
                return;
            }

            var (options, _) = RedisWire.ReadOptions(opts);
            var rooms = ReadRooms(request, "rooms"u8).ToList();
            switch (type)
            {
                case RedisRequestType.RemoteJoin:
                    await base.AddSocketsAsync(options, rooms).ConfigureAwait(false);
                    break;
                case RedisRequestType.RemoteLeave:
                    await base.DelSocketsAsync(options, rooms).ConfigureAwait(false);
                    break;
                default:
                    await base.DisconnectSocketsAsync(options, IsTrue(request, "close"u8)).ConfigureAwait(false);
                    break;
            }
            return;
        }

        // The single-socket form of older adapters: act only where the socket lives, then confirm.
        if (GetString(request, "sid"u8) is not { } sid || !Namespace.TryGetSocket(sid, out var socket))
        {
            return;
        }

        var room = GetString(request, "room"u8);
        switch (type)
        {
            case RedisRequestType.RemoteJoin when room is not null:
                await socket.JoinAsync(room).ConfigureAwait(false);
                break;
            case RedisRequestType.RemoteLeave when room is not null:
                await socket.LeaveAsync(room).ConfigureAwait(false);
                break;
            case RedisRequestType.RemoteDisconnect:
                await socket.DisconnectAsync(IsTrue(request, "close"u8)).ConfigureAwait(false);
                break;
            default:
                return;
        }

        await RespondAsync(uid, RedisWire.Json(json => json.WriteString("requestId"u8, requestId))).ConfigureAwait(false);
    }

    private async Task OnServerSideEmitAsync(JsonElement request, IReadOnlyList<ReadOnlyMemory<byte>> attachments, string? requestId)
    {
        if (!request.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            return;
        }

        var (payload, own) = RedisWire.ToPayload(data, attachments);
        var packet = new SocketIOPacket(SocketIOPacketType.Event, Namespace.Name, payload, null, own);
        if (requestId is null)
        {
            Namespace.OnServerSideEvent(packet);
            return;
        }

        // Answered in the background: the handler may take time, and the subscription must go on meanwhile.
        _ = AnswerServerSideEmitAsync(packet, requestId);
    }

    private async Task AnswerServerSideEmitAsync(SocketIOPacket packet, string requestId)
    {
        var (answered, value) = await Namespace.OnServerSideEventWithAckAsync(packet).ConfigureAwait(false);
        if (!answered)
        {
            return;
        }

        var writer = new SocketIOPayloadWriter();
        writer.WriteStartArray();
        writer.WriteValue(value);
        writer.WriteEndArray();
        var answer = writer.ToPacket(SocketIOPacketType.Ack, Namespace.Name, 0);
        using var document = JsonDocument.Parse(answer.Payload);
        var json = RedisWire.Json(w =>
        {
            w.WriteNumber("type"u8, (int)RedisRequestType.ServerSideEmit);
            w.WriteString("requestId"u8, requestId);
            w.WritePropertyName("data"u8);
            document.RootElement[0].WriteTo(w);
        });

        // Node answers server-side emits on the shared response channel whatever publishOnSpecificResponseChannel says.
        await PublishAsync(_responseChannel, json).ConfigureAwait(false);
    }

    private void OnBroadcastWithAck(JsonElement request, IReadOnlyList<ReadOnlyMemory<byte>> attachments, string? uid, string requestId)
    {
        if (!request.TryGetProperty("packet"u8, out var p))
        {
            return;
        }

        var packet = RedisWire.ReadPacket(p, attachments);
        if (packet.Namespace != Namespace.Name)
        {
            return;
        }

        var (options, timeout) = RedisWire.ReadOptions(request.TryGetProperty("opts"u8, out var o) ? o : default);
        _ = RelayAcksAsync(packet, options, timeout ?? _options.RequestsTimeout, uid, requestId);
    }

    // The packet is encoded once for every local recipient; each answer is relayed as it comes, after the client count.
    private async Task RelayAcksAsync(SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout, string? uid, string requestId)
    {
        var countSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientCount = SendWithAcksLocally(
            packet,
            options,
            timeout,
            async arguments =>
            {
                await countSent.Task.ConfigureAwait(false);
                await RespondAsync(uid, RedisWire.EncodeBroadcastAck(requestId, arguments)).ConfigureAwait(false);
            },
            out var completion);
        try
        {
            await RespondAsync(uid, RedisWire.Json(json =>
            {
                json.WriteNumber("type"u8, (int)RedisRequestType.BroadcastClientCount);
                json.WriteString("requestId"u8, requestId);
                json.WriteNumber("clientCount"u8, clientCount);
            })).ConfigureAwait(false);
        }
        finally
        {
            countSent.TrySetResult();
        }

        await completion.ConfigureAwait(false);
    }

    private Task RespondAsync(string? requesterUid, byte[] response) =>
        PublishAsync(_options.PublishOnSpecificResponseChannel && requesterUid is not null ? _responseChannel + requesterUid + "#" : _responseChannel, response);

    private bool IsOwn(string? requestId) => requestId is null || _requests.ContainsKey(requestId);

    private static string? GetString(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsTrue(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static HashSet<string> ReadRooms(JsonElement element, ReadOnlySpan<byte> name)
    {
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        if (element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var room in list.EnumerateArray())
            {
                rooms.Add(room.ValueKind == JsonValueKind.String ? room.GetString()! : room.GetRawText());
            }
        }

        return rooms;
    }
}
