using System.Buffers;
using System.Text.Json;
using MessagePack;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis.Protocol;

/// <summary>The message types of socket.io-adapter's <c>ClusterAdapter</c> (their numbers are the wire values).</summary>
internal enum ClusterMessageType
{
    InitialHeartbeat = 1,
    Heartbeat = 2,
    Broadcast = 3,
    SocketsJoin = 4,
    SocketsLeave = 5,
    DisconnectSockets = 6,
    FetchSockets = 7,
    FetchSocketsResponse = 8,
    ServerSideEmit = 9,
    ServerSideEmitResponse = 10,
    BroadcastClientCount = 11,
    BroadcastAck = 12,
    AdapterClose = 13,
}

/// <summary>A cluster message as read from Redis: <c>{type, data, uid, nsp}</c>, with the binary values of <c>data</c> as attachments.</summary>
internal sealed class ClusterMessage : IDisposable
{
    private readonly JsonDocument _document;

    private ClusterMessage(JsonDocument document, List<ReadOnlyMemory<byte>> attachments, ClusterMessageType type, string? uid, string? nsp, JsonElement data)
    {
        _document = document;
        Attachments = attachments;
        Type = type;
        Uid = uid;
        Nsp = nsp;
        Data = data;
    }

    public ClusterMessageType Type { get; }

    /// <summary>The sender's uid (<c>emitter</c> for an emitter process).</summary>
    public string? Uid { get; }

    public string? Nsp { get; }

    /// <summary>The message's data object (undefined for heartbeats).</summary>
    public JsonElement Data { get; }

    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>Reads a message: JSON when it starts with <c>{</c>, msgpack otherwise, as the Node adapter decides.</summary>
    public static ClusterMessage Parse(ReadOnlyMemory<byte> message)
    {
        var (document, attachments) = RedisWire.Parse(message);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type"u8, out var t) || !t.TryGetInt32(out var type))
        {
            document.Dispose();
            throw new FormatException("A cluster message is an object with a numeric type.");
        }

        var data = root.TryGetProperty("data"u8, out var d) ? d : default;
        return new ClusterMessage(document, attachments, (ClusterMessageType)type, Text(root, "uid"u8), Text(root, "nsp"u8), data);
    }

    /// <summary>A string property of <see cref="Data"/>.</summary>
    public string? DataText(ReadOnlySpan<byte> name) => Data.ValueKind == JsonValueKind.Object ? Text(Data, name) : null;

    /// <summary>A property of <see cref="Data"/>, or undefined.</summary>
    public JsonElement DataProperty(ReadOnlySpan<byte> name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value) ? value : default;

    public void Dispose() => _document.Dispose();

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Writes cluster messages as Node's sharded adapter does: JSON, unless the data holds binary, then msgpack (notepack.io's
/// encoding), so Node servers read them whichever way they come.
/// </summary>
internal static class ClusterWire
{
    private const int EventType = 2;

    /// <summary>Encodes <c>{type, data, uid, nsp}</c>; <paramref name="writeData"/> writes the data object's properties, binary values as placeholders into the attachment list.</summary>
    public static byte[] Encode(ClusterMessageType type, string uid, string nsp, Action<Utf8JsonWriter, List<ReadOnlyMemory<byte>>> writeData)
    {
        var output = new ArrayBufferWriter<byte>(256);
        var attachments = new List<ReadOnlyMemory<byte>>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("type"u8, (int)type);
            json.WriteStartObject("data"u8);
            writeData(json, attachments);
            json.WriteEndObject();
            json.WriteString("uid"u8, uid);
            json.WriteString("nsp"u8, nsp);
            json.WriteEndObject();
        }

        if (attachments.Count == 0)
        {
            return output.WrittenSpan.ToArray();
        }

        using var document = JsonDocument.Parse(output.WrittenMemory);
        var packed = new ArrayBufferWriter<byte>(output.WrittenCount);
        var writer = new MessagePackWriter(packed);
        MessagePackJson.WriteValue(ref writer, document.RootElement, attachments);
        writer.Flush();
        return packed.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>packet: {type: 2, data: [...], nsp}</c>: an EVENT whatever the binary, as Node's encoder picks BINARY_EVENT itself.</summary>
    public static void WritePacket(Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, SocketIOPacket packet)
    {
        json.WriteStartObject("packet"u8);
        json.WriteNumber("type"u8, EventType);
        json.WritePropertyName("data"u8);
        WritePayload(json, attachments, packet);
        json.WriteString("nsp"u8, packet.Namespace);
        json.WriteEndObject();
    }

    /// <summary>Writes an event packet's payload (the array of event name and arguments), renumbering its attachments.</summary>
    public static void WritePayload(Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, SocketIOPacket packet)
    {
        if (packet.Attachments.Count == 0)
        {
            json.WriteRawValue(packet.Payload.Span, skipInputValidation: true);
            return;
        }

        using var document = JsonDocument.Parse(packet.Payload);
        MessagePackJson.CopyValue(json, document.RootElement, packet.Attachments, attachments);
    }

    /// <summary>Writes one value the way an acknowledgement carries it (the first argument only, as Node forwards it).</summary>
    public static void WriteSingleValue(Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, object? value)
    {
        // Through the payload writer, so byte arrays at any depth become attachments and other values JSON.
        var single = new SocketIOPayloadWriter();
        single.WriteStartArray();
        single.WriteValue(value);
        single.WriteEndArray();
        var packet = single.ToPacket(SocketIOPacketType.Ack, "/", 0);
        using var document = JsonDocument.Parse(packet.Payload);
        MessagePackJson.CopyValue(json, document.RootElement[0], packet.Attachments, attachments);
    }

    /// <summary>Writes <c>opts: {rooms, except, flags}</c>; the timeout of a broadcast with acks goes in the flags, in milliseconds.</summary>
    public static void WriteOptions(Utf8JsonWriter json, SocketIOBroadcastOptions options, TimeSpan? timeout = null)
    {
        json.WriteStartObject("opts"u8);
        RedisWire.WriteJsonStrings(json, "rooms"u8, options.Rooms);
        RedisWire.WriteJsonStrings(json, "except"u8, options.Except);
        json.WriteStartObject("flags"u8);
        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Volatile))
        {
            json.WriteBoolean("volatile"u8, true);
        }

        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Compress))
        {
            json.WriteBoolean("compress"u8, true);
        }

        if (timeout is { } t)
        {
            json.WriteNumber("timeout"u8, (long)t.TotalMilliseconds);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The broadcast of a BROADCAST message: its packet, for namespace <paramref name="nsp"/>, and options.</summary>
    public static (SocketIOPacket Packet, SocketIOBroadcastOptions Options, TimeSpan? Timeout) ReadBroadcast(ClusterMessage message, string nsp)
    {
        var packet = message.DataProperty("packet"u8);
        if (packet.ValueKind != JsonValueKind.Object || !packet.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("A broadcast has no packet data.");
        }

        var (payload, own) = RedisWire.ToPayload(data, message.Attachments);
        var (options, timeout) = RedisWire.ReadOptions(message.DataProperty("opts"u8));
        return (new SocketIOPacket(SocketIOPacketType.Event, nsp, payload, null, own), options, timeout);
    }

    /// <summary>The event of a SERVER_SIDE_EMIT message (<c>packet: [event, ...args]</c>), or null when it has none.</summary>
    public static SocketIOPacket? ReadServerSideEvent(ClusterMessage message, string nsp)
    {
        var data = message.DataProperty("packet"u8);
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0 || data[0].ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var (payload, own) = RedisWire.ToPayload(data, message.Attachments);
        return new SocketIOPacket(SocketIOPacketType.Event, nsp, payload, null, own);
    }
}
