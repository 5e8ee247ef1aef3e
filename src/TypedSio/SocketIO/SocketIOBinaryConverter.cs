using System.Text.Json;
using System.Text.Json.Serialization;

namespace TypedSio.SocketIO;

/// <summary>
/// Lets <c>byte[]</c> values inside your own types travel as Socket.IO binary attachments. While TypedSio writes a
/// payload, each array becomes a <c>{"_placeholder":true,"num":N}</c> placeholder and an attachment; while it reads one,
/// placeholders are replaced by their attachments. Outside TypedSio it reads and writes base64 like the default
/// converter. Add it to your <see cref="JsonSerializerOptions"/> or JsonSerializerContext's converters.
/// </summary>
public sealed class SocketIOBinaryConverter : JsonConverter<byte[]>
{
    /// <inheritdoc />
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetBytesFromBase64(),
            JsonTokenType.StartObject => SocketIOBinaryScope.ReadPlaceholder(ref reader).ToArray(),
            _ => throw new JsonException($"Expected binary data (a placeholder or base64), found {reader.TokenType}."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        SocketIOBinaryScope.Write(writer, value);
    }
}

/// <summary>The <see cref="SocketIOBinaryConverter"/> for <see cref="ReadOnlyMemory{T}"/> of bytes.</summary>
public sealed class SocketIOBinaryMemoryConverter : JsonConverter<ReadOnlyMemory<byte>>
{
    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetBytesFromBase64(),
            JsonTokenType.StartObject => SocketIOBinaryScope.ReadPlaceholder(ref reader),
            _ => throw new JsonException($"Expected binary data (a placeholder or base64), found {reader.TokenType}."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        SocketIOBinaryScope.Write(writer, value);
    }
}

/// <summary>
/// The attachments of the payload being written or read on this thread. Serialization is synchronous, so a
/// thread-static scope reaches the converters without threading state through the user's options.
/// </summary>
internal static class SocketIOBinaryScope
{
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? _writing;

    [ThreadStatic]
    private static IReadOnlyList<ReadOnlyMemory<byte>>? _reading;

    public static WriteScope BeginWrite(List<ReadOnlyMemory<byte>> attachments)
    {
        var previous = _writing;
        _writing = attachments;
        return new WriteScope(previous);
    }

    public static ReadScope BeginRead(IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var previous = _reading;
        _reading = attachments;
        return new ReadScope(previous);
    }

    public static void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value)
    {
        if (_writing is not { } attachments)
        {
            writer.WriteBase64StringValue(value.Span);
            return;
        }

        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder"u8, true);
        writer.WriteNumber("num"u8, attachments.Count);
        writer.WriteEndObject();
        attachments.Add(value);
    }

    public static ReadOnlyMemory<byte> ReadPlaceholder(ref Utf8JsonReader reader)
    {
        var isPlaceholder = false;
        var num = -1;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                reader.Skip();
                continue;
            }

            if (reader.ValueTextEquals("_placeholder"u8))
            {
                reader.Read();
                isPlaceholder = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("num"u8))
            {
                reader.Read();
                num = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) ? n : -1;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!isPlaceholder || _reading is not { } attachments || num < 0 || num >= attachments.Count)
        {
            throw new JsonException("Expected a binary attachment placeholder that names an attachment of this packet.");
        }

        return attachments[num];
    }

    public readonly struct WriteScope(List<ReadOnlyMemory<byte>>? previous) : IDisposable
    {
        public void Dispose() => _writing = previous;
    }

    public readonly struct ReadScope(IReadOnlyList<ReadOnlyMemory<byte>>? previous) : IDisposable
    {
        public void Dispose() => _reading = previous;
    }
}
