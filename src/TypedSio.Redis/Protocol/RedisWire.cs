using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MessagePack;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis.Protocol;

/// <summary>The request types of @socket.io/redis-adapter's classic pub/sub protocol (their numbers are the wire values).</summary>
internal enum RedisRequestType
{
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
}

/// <summary>A broadcast read from the cluster: who sent it, the packet, and its target.</summary>
internal sealed record RedisBroadcast(string Uid, SocketIOPacket Packet, SocketIOBroadcastOptions Options, TimeSpan? Timeout);

/// <summary>Encodes and decodes the messages of the classic Redis adapter protocol.</summary>
internal static class RedisWire
{
    private const int EventType = 2;

    /// <summary>Reads a request or response: JSON when it starts with <c>{</c> (as Node writes most of them), msgpack otherwise.</summary>
    public static (JsonDocument Document, List<ReadOnlyMemory<byte>> Attachments) Parse(ReadOnlyMemory<byte> message) =>
        message.Length > 0 && message.Span[0] == (byte)'{'
            ? (JsonDocument.Parse(message), [])
            : MessagePackJson.Decode(message);

    /// <summary>Encodes the broadcast message <c>[uid, packet, opts]</c>.</summary>
    public static byte[] EncodeBroadcast(string uid, SocketIOPacket packet, SocketIOBroadcastOptions options)
    {
        var output = new ArrayBufferWriter<byte>(packet.Payload.Length + 64);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(3);
        writer.Write(uid);
        WritePacket(ref writer, packet);
        WriteOptions(ref writer, options, timeout: null);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a broadcast message.</summary>
    public static RedisBroadcast DecodeBroadcast(ReadOnlyMemory<byte> message)
    {
        var (document, attachments) = MessagePackJson.Decode(message);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 3)
            {
                throw new FormatException("A broadcast message is [uid, packet, opts].");
            }

            var uid = root[0].ValueKind == JsonValueKind.String ? root[0].GetString()! : root[0].GetRawText();
            var packet = ReadPacket(root[1], attachments);
            var (options, timeout) = ReadOptions(root[2]);
            return new RedisBroadcast(uid, packet, options, timeout);
        }
    }

    /// <summary>Reads a packet map <c>{type, data, nsp, id}</c> as an event packet.</summary>
    public static SocketIOPacket ReadPacket(JsonElement packet, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var nsp = packet.TryGetProperty("nsp"u8, out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "/";
        var type = packet.TryGetProperty("type"u8, out var t) && t.TryGetInt32(out var value) ? value : EventType;
        if (!packet.TryGetProperty("data"u8, out var data))
        {
            throw new FormatException("A broadcast packet has no data.");
        }

        var (payload, own) = ToPayload(data, attachments);
        var packetType = type is 3 or 6 ? SocketIOPacketType.Ack : SocketIOPacketType.Event;
        return new SocketIOPacket(packetType, nsp, payload, null, own);
    }

    /// <summary>A JSON value as a packet payload with its own attachments.</summary>
    public static (byte[] Payload, List<ReadOnlyMemory<byte>> Attachments) ToPayload(JsonElement value, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var output = new ArrayBufferWriter<byte>();
        var own = new List<ReadOnlyMemory<byte>>();
        using (var json = new Utf8JsonWriter(output))
        {
            MessagePackJson.CopyValue(json, value, attachments, own);
        }

        return (output.WrittenSpan.ToArray(), own);
    }

    /// <summary>Arguments holding one value (a broadcast acknowledgement as Node forwards it: the client's first ack argument).</summary>
    public static SocketIOArguments SingleArgument(JsonElement? value, IReadOnlyList<ReadOnlyMemory<byte>> attachments, string nsp)
    {
        var output = new ArrayBufferWriter<byte>();
        var own = new List<ReadOnlyMemory<byte>>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            if (value is { } v)
            {
                MessagePackJson.CopyValue(json, v, attachments, own);
            }

            json.WriteEndArray();
        }

        return new SocketIOPacket(SocketIOPacketType.Ack, nsp, output.WrittenSpan.ToArray(), 0, own).GetArguments();
    }

    /// <summary>Reads broadcast options <c>{rooms, except, flags}</c>; flags.timeout is returned apart.</summary>
    public static (SocketIOBroadcastOptions Options, TimeSpan? Timeout) ReadOptions(JsonElement opts)
    {
        var rooms = ReadRooms(opts, "rooms"u8);
        var except = ReadRooms(opts, "except"u8);
        var flags = SocketIOBroadcastFlags.None;
        TimeSpan? timeout = null;
        if (opts.ValueKind == JsonValueKind.Object && opts.TryGetProperty("flags"u8, out var f) && f.ValueKind == JsonValueKind.Object)
        {
            flags |= IsTrue(f, "volatile"u8) ? SocketIOBroadcastFlags.Volatile : 0;
            flags |= IsTrue(f, "compress"u8) ? SocketIOBroadcastFlags.Compress : 0;
            flags |= IsTrue(f, "local"u8) ? SocketIOBroadcastFlags.Local : 0;
            if (f.TryGetProperty("timeout"u8, out var ms) && ms.ValueKind == JsonValueKind.Number)
            {
                timeout = TimeSpan.FromMilliseconds(ms.GetDouble());
            }
        }

        return (new SocketIOBroadcastOptions(rooms, except, flags), timeout);
    }

    /// <summary>Encodes a broadcast-with-ack request (msgpack, as Node sends it, since the packet may hold binary).</summary>
    public static byte[] EncodeBroadcastRequest(string uid, string requestId, SocketIOPacket packet, SocketIOBroadcastOptions options, TimeSpan timeout)
    {
        var output = new ArrayBufferWriter<byte>(packet.Payload.Length + 96);
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(5);
        writer.Write("uid");
        writer.Write(uid);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("type");
        writer.Write((int)RedisRequestType.Broadcast);
        writer.Write("packet");
        WritePacket(ref writer, packet);
        writer.Write("opts");
        WriteOptions(ref writer, options, timeout);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Encodes one client's acknowledgement of a remote broadcast: its first argument, as Node forwards it.</summary>
    public static byte[] EncodeBroadcastAck(string requestId, SocketIOArguments arguments)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        var hasValue = arguments.Count > 0;
        writer.WriteMapHeader(hasValue ? 3 : 2);
        writer.Write("type");
        writer.Write((int)RedisRequestType.BroadcastAck);
        writer.Write("requestId");
        writer.Write(requestId);
        if (hasValue)
        {
            writer.Write("packet");

            // Going through plain values brings the attachments back as bytes, which become bin again.
            var single = new SocketIOPayloadWriter();
            single.WriteStartArray();
            single.WriteValue(arguments.GetValue(0));
            single.WriteEndArray();
            var packet = single.ToPacket(SocketIOPacketType.Ack, "/", 0);
            using var document = JsonDocument.Parse(packet.Payload);
            MessagePackJson.WriteValue(ref writer, document.RootElement[0], packet.Attachments);
        }

        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes a JSON message with a callback.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>opts: {rooms, except}</c> as the JSON requests carry it.</summary>
    public static void WriteJsonOptions(Utf8JsonWriter json, SocketIOBroadcastOptions options)
    {
        json.WriteStartObject("opts"u8);
        WriteJsonStrings(json, "rooms"u8, options.Rooms);
        WriteJsonStrings(json, "except"u8, options.Except);
        json.WriteEndObject();
    }

    /// <summary>Writes a string array property.</summary>
    public static void WriteJsonStrings(Utf8JsonWriter json, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>An event packet's payload as a JSON array of values (event name first).</summary>
    public static void WritePayload(Utf8JsonWriter json, SocketIOPacket packet)
    {
        using var document = JsonDocument.Parse(packet.Payload);
        document.RootElement.WriteTo(json);
    }

    private static void WritePacket(ref MessagePackWriter writer, SocketIOPacket packet)
    {
        writer.WriteMapHeader(3);
        writer.Write("type");

        // Node's encoder turns an EVENT holding binary into a BINARY_EVENT itself; a BINARY_EVENT type would be sent as text.
        writer.Write(packet.IsAck ? 3 : EventType);
        writer.Write("data");
        using (var document = JsonDocument.Parse(packet.Payload))
        {
            MessagePackJson.WriteValue(ref writer, document.RootElement, packet.Attachments);
        }

        writer.Write("nsp");
        writer.Write(packet.Namespace);
    }

    private static void WriteOptions(ref MessagePackWriter writer, SocketIOBroadcastOptions options, TimeSpan? timeout)
    {
        writer.WriteMapHeader(3);
        writer.Write("rooms");
        WriteStrings(ref writer, options.Rooms);
        writer.Write("except");
        WriteStrings(ref writer, options.Except);
        writer.Write("flags");
        var flags = new List<(string, bool)>();
        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Volatile))
        {
            flags.Add(("volatile", true));
        }

        if (options.Flags.HasFlag(SocketIOBroadcastFlags.Compress))
        {
            flags.Add(("compress", true));
        }

        writer.WriteMapHeader(flags.Count + (timeout is null ? 0 : 1));
        foreach (var (name, value) in flags)
        {
            writer.Write(name);
            writer.Write(value);
        }

        if (timeout is { } t)
        {
            writer.Write("timeout");
            writer.Write((long)t.TotalMilliseconds);
        }
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlySet<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static HashSet<string> ReadRooms(JsonElement opts, ReadOnlySpan<byte> name)
    {
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        if (opts.ValueKind == JsonValueKind.Object && opts.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var room in list.EnumerateArray())
            {
                // Node rooms may be numbers (socket.join(42)); TypedSio rooms are strings.
                rooms.Add(room.ValueKind == JsonValueKind.String ? room.GetString()! : room.GetRawText());
            }
        }

        return rooms;
    }

    private static bool IsTrue(JsonElement flags, ReadOnlySpan<byte> name) =>
        flags.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    internal static string NewId() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    internal static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
