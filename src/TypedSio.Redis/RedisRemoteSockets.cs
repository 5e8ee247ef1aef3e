using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

/// <summary>Sockets as fetchSockets answers carry them: <c>{id, handshake, rooms, data}</c>, the handshake in Node's shape.</summary>
internal static class RedisRemoteSockets
{
    /// <summary>Writes a socket; binary values of its data become placeholders into <paramref name="attachments"/> when given.</summary>
    public static void Write(Utf8JsonWriter json, SocketIORemoteSocket socket, List<ReadOnlyMemory<byte>>? attachments = null)
    {
        json.WriteStartObject();
        json.WriteString("id"u8, socket.Id);
        json.WriteStartObject("handshake"u8);
        var handshake = socket.Handshake;
        json.WriteStartObject("headers"u8);
        foreach (var header in handshake.Headers)
        {
            // Node keeps header names lower-case and repeated values joined.
            json.WriteString(header.Key.ToLowerInvariant(), header.Value.ToString());
        }

        json.WriteEndObject();
        json.WriteString("time"u8, handshake.Time);
        json.WriteString("address"u8, handshake.Address?.ToString());
        json.WriteBoolean("xdomain"u8, handshake.XDomain);
        json.WriteBoolean("secure"u8, handshake.Secure);
        json.WriteNumber("issued"u8, handshake.Issued);
        json.WriteString("url"u8, handshake.Url);
        json.WriteStartObject("query"u8);
        foreach (var pair in handshake.Query)
        {
            json.WriteString(pair.Key, pair.Value.ToString());
        }

        json.WriteEndObject();
        json.WritePropertyName("auth"u8);
        if (handshake.Auth.ValueKind == JsonValueKind.Undefined)
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
        else
        {
            handshake.Auth.WriteTo(json);
        }

        json.WriteEndObject();
        json.WriteStartArray("rooms"u8);
        foreach (var room in socket.Rooms)
        {
            json.WriteStringValue(room);
        }

        json.WriteEndArray();
        json.WritePropertyName("data"u8);
        var data = new SocketIOPayloadWriter();
        data.WriteStartArray();
        data.WriteValue(socket.Data);
        data.WriteEndArray();
        var packet = data.ToPacket(SocketIOPacketType.Event, "/");
        using (var document = JsonDocument.Parse(packet.Payload))
        {
            if (attachments is null)
            {
                document.RootElement[0].WriteTo(json);
            }
            else
            {
                Protocol.MessagePackJson.CopyValue(json, document.RootElement[0], packet.Attachments, attachments);
            }
        }

        json.WriteEndObject();
    }

    /// <summary>Reads a socket; placeholders in its data refer to <paramref name="attachments"/>.</summary>
    public static SocketIORemoteSocket Read(SocketIONamespace nsp, JsonElement socket, IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null)
    {
        var id = Text(socket, "id"u8) ?? "";
        var handshake = socket.TryGetProperty("handshake"u8, out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
        var headers = new HeaderDictionary();
        var query = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        if (handshake.ValueKind == JsonValueKind.Object)
        {
            CopyStrings(handshake, "headers"u8, (k, v) => headers[k] = v);
            CopyStrings(handshake, "query"u8, (k, v) => query[k] = v);
        }

        var auth = handshake.ValueKind == JsonValueKind.Object && handshake.TryGetProperty("auth"u8, out var a) ? a.Clone() : default;
        var address = handshake.ValueKind == JsonValueKind.Object && IPAddress.TryParse(Text(handshake, "address"u8), out var ip) ? ip : null;
        var issued = handshake.ValueKind == JsonValueKind.Object && handshake.TryGetProperty("issued"u8, out var i) && i.TryGetInt64(out var ms) ? ms : 0;
        var remote = new SocketIOHandshake(
            headers,
            new QueryCollection(query),
            auth,
            address,
            handshake.ValueKind == JsonValueKind.Object && handshake.TryGetProperty("secure"u8, out var s) && s.ValueKind == JsonValueKind.True,
            issued,
            handshake.ValueKind == JsonValueKind.Object ? Text(handshake, "time"u8) ?? "" : "",
            handshake.ValueKind == JsonValueKind.Object ? Text(handshake, "url"u8) ?? "" : "",
            handshake.ValueKind == JsonValueKind.Object && handshake.TryGetProperty("xdomain"u8, out var x) && x.ValueKind == JsonValueKind.True);
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        if (socket.TryGetProperty("rooms"u8, out var r) && r.ValueKind == JsonValueKind.Array)
        {
            rooms.UnionWith(r.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()));
        }

        var data = socket.TryGetProperty("data"u8, out var d) && SocketIOArguments.ToValue(d, attachments ?? []) is Dictionary<string, object?> map
            ? map
            : new Dictionary<string, object?>();
        return new SocketIORemoteSocket(nsp, id, remote, rooms, data);
    }

    private static void CopyStrings(JsonElement owner, ReadOnlySpan<byte> name, Action<string, string> add)
    {
        if (owner.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                add(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
            }
        }
    }

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
