using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TypedSio.SocketIO;

/// <summary>
/// The arguments of an event (the elements after its name) or of an ack, read straight from the packet's payload with
/// binary placeholders resolved to their attachments.
/// </summary>
public readonly struct SocketIOArguments
{
    private readonly SocketIOPacket _packet;

    internal SocketIOArguments(SocketIOPacket packet)
    {
        _packet = packet;
        Count = CountArguments(packet);
    }

    /// <summary>How many arguments there are.</summary>
    public int Count { get; }

    /// <summary>Deserializes one argument through its metadata (binary inside it needs <see cref="SocketIOBinaryConverter"/>).</summary>
    /// <typeparam name="T">The argument's type.</typeparam>
    /// <param name="index">The argument's position.</param>
    /// <param name="typeInfo">The type's metadata.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(int index, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var reader = Seek(index);
        using (SocketIOBinaryScope.BeginRead(_packet.Attachments))
        {
            return JsonSerializer.Deserialize(ref reader, typeInfo);
        }
    }

    /// <summary>One argument as JSON (placeholders stay placeholders; see <see cref="GetValue"/> for resolved binary).</summary>
    /// <param name="index">The argument's position.</param>
    /// <returns>A JSON element that owns its memory.</returns>
    public JsonElement GetJson(int index)
    {
        var reader = Seek(index);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>
    /// One argument as plain .NET values: null, bool, string, double, <c>byte[]</c> for attachments,
    /// <c>List&lt;object?&gt;</c> for arrays and <c>Dictionary&lt;string, object?&gt;</c> (in payload order) for objects.
    /// </summary>
    /// <param name="index">The argument's position.</param>
    /// <returns>The value.</returns>
    public object? GetValue(int index)
    {
        // Scalars are read straight from the payload; only objects and arrays go through a JSON document.
        var reader = Seek(index);
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => ToValue(JsonElement.ParseValue(ref reader), _packet.Attachments),
        };
    }

    /// <summary>All arguments as plain .NET values (see <see cref="GetValue"/>).</summary>
    /// <returns>The values in order.</returns>
    public object?[] ToValues()
    {
        var values = new object?[Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = GetValue(i);
        }

        return values;
    }

    /// <summary>Converts a JSON value to plain .NET values, resolving placeholders to attachments.</summary>
    /// <param name="element">The JSON value.</param>
    /// <param name="attachments">The packet's attachments; placeholders are left as objects when there are none.</param>
    /// <returns>The value.</returns>
    public static object? ToValue(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        switch (element.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.GetDouble();
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(ToValue(item, attachments));
                }

                return list;
            default:
                if (attachments.Count > 0 && TryGetPlaceholder(element, out var num) && num < attachments.Count)
                {
                    return attachments[num].ToArray();
                }

                var map = new Dictionary<string, object?>();
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = ToValue(property.Value, attachments);
                }

                return map;
        }
    }

    private static bool TryGetPlaceholder(JsonElement element, out int num)
    {
        num = -1;
        return element.TryGetProperty("_placeholder"u8, out var flag) && flag.ValueKind == JsonValueKind.True
            && element.TryGetProperty("num"u8, out var index) && index.ValueKind == JsonValueKind.Number
            && index.TryGetInt32(out num) && num >= 0;
    }

    private Utf8JsonReader Seek(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var reader = new Utf8JsonReader(_packet.Payload.Span, new JsonReaderOptions { MaxDepth = 1000 });
        reader.Read(); // [
        var skip = index + (_packet.IsEvent ? 1 : 0);
        for (var i = 0; i <= skip; i++)
        {
            reader.Read();
            if (i < skip)
            {
                reader.Skip();
            }
        }

        return reader;
    }

    private static int CountArguments(SocketIOPacket packet)
    {
        if (!(packet.IsEvent || packet.IsAck) || packet.Payload.IsEmpty)
        {
            return 0;
        }

        var reader = new Utf8JsonReader(packet.Payload.Span, new JsonReaderOptions { MaxDepth = 1000 });
        reader.Read();
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        return packet.IsEvent ? Math.Max(0, count - 1) : count;
    }
}
