using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.EngineIO;
using TypedSio.SocketIO;

namespace TypedSio.Protocol.Tests.CrossImplementation;

/// <summary>
/// The canonical form both implementations print for a decoded packet (binary as <c>{"$bin":base64}</c>), and the
/// conversions between it and TypedSio's packets and .NET values.
/// </summary>
internal static class Canonical
{
    public static JsonObject FromPacket(SocketIOPacket packet)
    {
        var type = packet.Type switch
        {
            SocketIOPacketType.BinaryEvent => SocketIOPacketType.Event,
            SocketIOPacketType.BinaryAck => SocketIOPacketType.Ack,
            var t => t,
        };
        var result = new JsonObject { ["type"] = (int)type, ["nsp"] = packet.Namespace };
        if (packet.AckId is { } id)
        {
            result["id"] = id;
        }

        if (!packet.Payload.IsEmpty)
        {
            using var document = JsonDocument.Parse(packet.Payload, new JsonDocumentOptions { MaxDepth = 1000 });
            result["data"] = ResolveBinary(ToNode(document.RootElement), packet.Attachments);
        }

        return result;
    }

    /// <summary>Turns canonical data into the .NET values TypedSio's encoder takes (byte[] for binary, ordered maps).</summary>
    public static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Select(ToValue).ToList(),
        JsonObject o when o.TryGetPropertyValue("$bin", out var bin) => Convert.FromBase64String(bin!.GetValue<string>()),
        JsonObject o => o.Select(p => new KeyValuePair<string, object?>(p.Key, ToValue(p.Value))).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        _ => node.GetValue<bool>(),
    };

    public static SocketIOPacket ToPacket(JsonObject canonical)
    {
        var type = (SocketIOPacketType)canonical["type"]!.GetValue<int>();
        var nsp = canonical["nsp"]!.GetValue<string>();
        long? id = canonical.TryGetPropertyValue("id", out var idNode) ? idNode!.GetValue<long>() : null;
        if (!canonical.TryGetPropertyValue("data", out var data))
        {
            return new SocketIOPacket(type, nsp, default, id);
        }

        var writer = new SocketIOPayloadWriter();
        if (type is SocketIOPacketType.Event or SocketIOPacketType.Ack)
        {
            writer.WriteStartArray();
            foreach (var item in data!.AsArray())
            {
                writer.WriteValue(ToValue(item));
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteValue(ToValue(data));
        }

        return writer.ToPacket(type, nsp, id);
    }

    public static JsonObject FromEnginePacket(EngineIOPacket packet)
    {
        var result = new JsonObject { ["type"] = packet.Type.ToString().ToLowerInvariant() };
        if (packet.IsBinary)
        {
            result["data"] = new JsonObject { ["$bin"] = Convert.ToBase64String(packet.Data.ToArray()) };
        }
        else if (!packet.Data.IsEmpty)
        {
            result["data"] = Encoding.UTF8.GetString(packet.Data.ToArray());
        }

        return result;
    }

    public static EngineIOPacket ToEnginePacket(JsonNode canonical)
    {
        var type = Enum.Parse<EngineIOPacketType>(canonical["type"]!.GetValue<string>(), ignoreCase: true);
        return canonical["data"] switch
        {
            null => EngineIOPacket.Text(type),
            JsonObject bin => EngineIOPacket.Binary(Convert.FromBase64String(bin["$bin"]!.GetValue<string>())),
            var text => EngineIOPacket.Text(type, text.GetValue<string>()),
        };
    }

    /// <summary>Deep equality where numbers compare by value and object keys in any order (JavaScript re-orders integer keys).</summary>
    public static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (null, null) => true,
        // JSON.stringify prints numbers beyond double range (parsed as Infinity) as null.
        (null, JsonValue y) when y.GetValueKind() == JsonValueKind.Number => double.IsInfinity(AsDouble(y)),
        (JsonValue x, null) when x.GetValueKind() == JsonValueKind.Number => double.IsInfinity(AsDouble(x)),
        (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (JsonObject x, JsonObject y) => x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var v) && Same(p.Value, v)),
        (JsonValue x, JsonValue y) when x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number =>
            AsDouble(x).Equals(AsDouble(y)),
        (JsonValue x, JsonValue y) => x.ToJsonString() == y.ToJsonString(),
        _ => false,
    };

    // Built by hand so that duplicate keys resolve as in JavaScript (the last one wins) instead of throwing.
    private static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                return new JsonArray(element.EnumerateArray().Select(ToNode).ToArray());
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    o[property.Name] = ToNode(property.Value);
                }

                return o;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    private static JsonNode? ResolveBinary(JsonNode? node, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (node)
        {
            case JsonArray array:
                var items = array.Select(item => ResolveBinary(item?.DeepClone(), attachments)).ToArray();
                return new JsonArray(items);
            case JsonObject o when attachments.Count > 0 && o.TryGetPropertyValue("_placeholder", out var flag)
                && flag is JsonValue f && f.GetValueKind() == JsonValueKind.True && o["num"] is JsonValue num:
                return new JsonObject { ["$bin"] = Convert.ToBase64String(attachments[num.GetValue<int>()].ToArray()) };
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    copy[key] = ResolveBinary(value?.DeepClone(), attachments);
                }

                return copy;
            default:
                return node?.DeepClone();
        }
    }

    private static double AsDouble(JsonValue value) =>
        double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : double.NaN;

    public static ReadOnlySequence<byte> Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
