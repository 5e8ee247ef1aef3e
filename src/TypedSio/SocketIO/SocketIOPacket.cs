using System.Text;
using System.Text.Json;

namespace TypedSio.SocketIO;

/// <summary>
/// One Socket.IO packet. The payload is kept as the compact UTF-8 JSON it arrived as (or was written as), so nothing is
/// re-ordered or re-formatted on its way through; binary values are <see cref="Attachments"/> referenced from the
/// payload by <c>{"_placeholder":true,"num":N}</c>.
/// </summary>
public sealed class SocketIOPacket
{
    private string? _eventName;

    /// <summary>Creates a packet.</summary>
    /// <param name="type">The packet type. Binary packets may be given as <see cref="SocketIOPacketType.Event"/> or
    /// <see cref="SocketIOPacketType.Ack"/> with attachments: the type is normalised to the binary variant.</param>
    /// <param name="nsp">The namespace, e.g. <c>/</c> or <c>/chat</c>.</param>
    /// <param name="payload">The compact UTF-8 JSON payload, or empty for none.</param>
    /// <param name="ackId">The ack id, or null.</param>
    /// <param name="attachments">The binary attachments, in placeholder order.</param>
    public SocketIOPacket(
        SocketIOPacketType type,
        string nsp = "/",
        ReadOnlyMemory<byte> payload = default,
        long? ackId = null,
        IReadOnlyList<ReadOnlyMemory<byte>>? attachments = null)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        if (ackId is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ackId), ackId, "Ack ids are non-negative.");
        }

        attachments ??= [];
        Type = (type, attachments.Count) switch
        {
            (SocketIOPacketType.Event, > 0) => SocketIOPacketType.BinaryEvent,
            (SocketIOPacketType.Ack, > 0) => SocketIOPacketType.BinaryAck,
            (SocketIOPacketType.BinaryEvent, 0) => throw new ArgumentException("A binary event needs at least one attachment.", nameof(attachments)),
            (SocketIOPacketType.BinaryAck, 0) => throw new ArgumentException("A binary ack needs at least one attachment.", nameof(attachments)),
            (SocketIOPacketType.Connect or SocketIOPacketType.Disconnect or SocketIOPacketType.ConnectError, > 0) =>
                throw new ArgumentException("Only events and acks carry attachments.", nameof(attachments)),
            _ => type,
        };
        Namespace = nsp;
        Payload = payload;
        AckId = ackId;
        Attachments = attachments;
    }

    /// <summary>The packet type as written on the wire (binary events and acks have their own types).</summary>
    public SocketIOPacketType Type { get; }

    /// <summary>The namespace; <c>/</c> for the main one.</summary>
    public string Namespace { get; }

    /// <summary>The compact UTF-8 JSON payload; empty when the packet has none.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The ack id, or null when none was requested.</summary>
    public long? AckId { get; }

    /// <summary>The binary attachments referenced by placeholders in the payload.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>Whether this is an event (binary or not).</summary>
    public bool IsEvent => Type is SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent;

    /// <summary>Whether this is an acknowledgement (binary or not).</summary>
    public bool IsAck => Type is SocketIOPacketType.Ack or SocketIOPacketType.BinaryAck;

    /// <summary>The event name of an event whose first element is a string; null otherwise (numeric names are allowed by the protocol).</summary>
    public string? EventName => _eventName ??= IsEvent ? ReadEventName() : null;

    /// <summary>The payload as text (for logs and tests).</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>The arguments: an event's elements after its name, an ack's elements, with attachments resolved.</summary>
    /// <returns>A reader over the arguments.</returns>
    public SocketIOArguments GetArguments() => new(this);

    /// <summary>Whether the event name equals the given UTF-8 bytes (no allocation).</summary>
    /// <param name="utf8Name">The name to compare.</param>
    /// <returns>True when this is an event with that name.</returns>
    public bool HasEventName(ReadOnlySpan<byte> utf8Name)
    {
        if (!IsEvent || Payload.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(Payload.Span);
        return reader.Read() && reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(utf8Name);
    }

    /// <summary>Writes the packet's text part in the wire format (attachments are sent separately, after it).</summary>
    /// <returns>The encoded text.</returns>
    public override string ToString() => SocketIOPacketWriter.WriteToString(this);

    /// <summary>Creates an event packet; binary values anywhere in the arguments become attachments.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments (see <see cref="SocketIOPayloadWriter.WriteValue(object?)"/> for what is accepted).</param>
    /// <param name="nsp">The namespace.</param>
    /// <param name="ackId">The ack id when an acknowledgement is requested.</param>
    /// <param name="options">Serializer options for argument types that are not plain JSON values.</param>
    /// <returns>The packet.</returns>
    public static SocketIOPacket CreateEvent(string eventName, ReadOnlySpan<object?> arguments, string nsp = "/", long? ackId = null, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var writer = SocketIOPayloadWriter.Rent(options);
        writer.WriteStartArray();
        writer.WriteValue(eventName);
        foreach (var argument in arguments)
        {
            writer.WriteValue(argument);
        }

        writer.WriteEndArray();
        var packet = writer.ToPacket(SocketIOPacketType.Event, nsp, ackId);
        SocketIOPayloadWriter.Return(writer);
        return packet;
    }

    /// <summary>Creates the acknowledgement of an event.</summary>
    /// <param name="ackId">The id of the event being acknowledged.</param>
    /// <param name="arguments">The reply's arguments.</param>
    /// <param name="nsp">The namespace.</param>
    /// <param name="options">Serializer options for argument types that are not plain JSON values.</param>
    /// <returns>The packet.</returns>
    public static SocketIOPacket CreateAck(long ackId, ReadOnlySpan<object?> arguments, string nsp = "/", JsonSerializerOptions? options = null)
    {
        var writer = SocketIOPayloadWriter.Rent(options);
        writer.WriteStartArray();
        foreach (var argument in arguments)
        {
            writer.WriteValue(argument);
        }

        writer.WriteEndArray();
        var packet = writer.ToPacket(SocketIOPacketType.Ack, nsp, ackId);
        SocketIOPayloadWriter.Return(writer);
        return packet;
    }

    /// <summary>Creates a CONNECT packet: a client's request (with an optional auth object) or a server's reply (with the sid).</summary>
    /// <param name="nsp">The namespace.</param>
    /// <param name="data">The auth object or reply data; null for none.</param>
    /// <param name="options">Serializer options for a data type that is not a plain JSON value.</param>
    /// <returns>The packet.</returns>
    public static SocketIOPacket CreateConnect(string nsp = "/", object? data = null, JsonSerializerOptions? options = null) =>
        CreateSingleValue(SocketIOPacketType.Connect, nsp, data, options);

    /// <summary>Creates a CONNECT_ERROR packet <c>{"message":...,"data":...}</c> (data omitted when null).</summary>
    /// <param name="nsp">The namespace being refused.</param>
    /// <param name="message">Why.</param>
    /// <param name="data">Extra data for the client, or null.</param>
    /// <param name="options">Serializer options for a data type that is not a plain JSON value.</param>
    /// <returns>The packet.</returns>
    public static SocketIOPacket CreateConnectError(string nsp, string message, object? data = null, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new List<KeyValuePair<string, object?>> { new("message", message) };
        if (data is not null)
        {
            body.Add(new("data", data));
        }

        return CreateSingleValue(SocketIOPacketType.ConnectError, nsp, body, options);
    }

    /// <summary>Creates a DISCONNECT packet.</summary>
    /// <param name="nsp">The namespace to leave.</param>
    /// <returns>The packet.</returns>
    public static SocketIOPacket CreateDisconnect(string nsp = "/") => new(SocketIOPacketType.Disconnect, nsp);

    private static SocketIOPacket CreateSingleValue(SocketIOPacketType type, string nsp, object? data, JsonSerializerOptions? options)
    {
        if (data is null)
        {
            return new SocketIOPacket(type, nsp);
        }

        var writer = new SocketIOPayloadWriter(options);
        writer.WriteValue(data);
        return writer.ToPacket(type, nsp);
    }

    private string? ReadEventName()
    {
        if (Payload.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(Payload.Span);
        if (!reader.Read() || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        return reader.ValueIsEscaped || reader.HasValueSequence ? reader.GetString() : EventNameCache.Get(reader.ValueSpan);
    }

    // An application uses a handful of event names; reading the same one from every packet need not allocate it again.
    private static class EventNameCache
    {
        private const int Size = 32;

        [ThreadStatic]
        private static (byte[] Utf8, string Value)[]? t_entries;

        [ThreadStatic]
        private static int t_next;

        public static string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > 64)
            {
                return System.Text.Encoding.UTF8.GetString(utf8);
            }

            var entries = t_entries ??= new (byte[], string)[Size];
            foreach (var entry in entries)
            {
                if (entry.Utf8 is not null && utf8.SequenceEqual(entry.Utf8))
                {
                    return entry.Value;
                }
            }

            var value = System.Text.Encoding.UTF8.GetString(utf8);
            entries[t_next] = (utf8.ToArray(), value);
            t_next = (t_next + 1) % Size;
            return value;
        }
    }
}
