using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MessagePack;

namespace TypedSio.Redis.Protocol;

/// <summary>
/// Translates between the msgpack values notepack.io writes (what Node's redis adapter and emitter publish) and the JSON
/// plus binary attachments that TypedSio packets carry. bin becomes a <c>{"_placeholder":true,"num":N}</c> attachment and
/// back; a msgpack timestamp (ext −1) becomes the ISO string Node's JSON output would write for the Date it decodes to.
/// </summary>
internal static class MessagePackJson
{
    private const long MaxExactDouble = 1L << 53;

    /// <summary>Reads one msgpack value as JSON, collecting binary values as attachments.</summary>
    public static void ReadValue(ref MessagePackReader reader, Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    json.WriteNumberValue(reader.ReadUInt64());
                }
                else
                {
                    json.WriteNumberValue(reader.ReadInt64());
                }

                break;
            case MessagePackType.Float:
                WriteDouble(json, reader.ReadDouble());
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Binary:
                WritePlaceholder(json, attachments, reader.ReadBytes()!.Value.ToArray());
                break;
            case MessagePackType.Array:
                var count = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < count; i++)
                {
                    ReadValue(ref reader, json, attachments);
                }

                json.WriteEndArray();
                break;
            case MessagePackType.Map:
                var entries = reader.ReadMapHeader();
                json.WriteStartObject();
                for (var i = 0; i < entries; i++)
                {
                    json.WritePropertyName(ReadKey(ref reader));
                    ReadValue(ref reader, json, attachments);
                }

                json.WriteEndObject();
                break;
            case MessagePackType.Extension:
                ReadExtension(ref reader, json, attachments);
                break;
            default:
                throw new MessagePackSerializationException($"Unsupported msgpack code 0x{reader.NextCode:x2}.");
        }
    }

    /// <summary>Decodes a whole msgpack message to a JSON document and its attachments.</summary>
    public static (JsonDocument Document, List<ReadOnlyMemory<byte>> Attachments) Decode(ReadOnlyMemory<byte> message)
    {
        var reader = new MessagePackReader(message);
        var output = new ArrayBufferWriter<byte>(message.Length * 2 + 16);
        var attachments = new List<ReadOnlyMemory<byte>>();
        using (var json = new Utf8JsonWriter(output))
        {
            ReadValue(ref reader, json, attachments);
        }

        return (JsonDocument.Parse(output.WrittenMemory), attachments);
    }

    /// <summary>Writes a JSON value as msgpack; placeholders become bin values (integral numbers become integers, as in JavaScript).</summary>
    public static void WriteValue(ref MessagePackWriter writer, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                writer.WriteNil();
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number:
                WriteNumber(ref writer, element);
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    WriteValue(ref writer, item, attachments);
                }

                break;
            default:
                if (TryGetPlaceholder(element, attachments, out var binary))
                {
                    writer.Write(binary.Span);
                    break;
                }

                var properties = 0;
                foreach (var _ in element.EnumerateObject())
                {
                    properties++;
                }

                writer.WriteMapHeader(properties);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteValue(ref writer, property.Value, attachments);
                }

                break;
        }
    }

    /// <summary>Copies a JSON value, renumbering the placeholders it holds into a fresh attachment list.</summary>
    public static void CopyValue(Utf8JsonWriter json, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> source, List<ReadOnlyMemory<byte>> target)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    CopyValue(json, item, source, target);
                }

                json.WriteEndArray();
                break;
            case JsonValueKind.Object:
                if (TryGetPlaceholder(element, source, out var binary))
                {
                    WritePlaceholder(json, target, binary);
                    break;
                }

                json.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    json.WritePropertyName(property.Name);
                    CopyValue(json, property.Value, source, target);
                }

                json.WriteEndObject();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }

    /// <summary>The ISO 8601 form JavaScript's <c>Date.prototype.toJSON</c> writes (millisecond precision, UTC).</summary>
    public static string ToJavaScriptIso(DateTime utc)
    {
        var year = utc.Year;
        var rest = utc.ToString("-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return year is >= 0 and <= 9999
            ? year.ToString("D4", CultureInfo.InvariantCulture) + rest
            : "+" + year.ToString("D6", CultureInfo.InvariantCulture) + rest;
    }

    private static string ReadKey(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                return reader.ReadString() ?? "";
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64
                    ? reader.ReadUInt64().ToString(CultureInfo.InvariantCulture)
                    : reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
            case MessagePackType.Nil:
                reader.ReadNil();
                return "null";
            case MessagePackType.Boolean:
                return reader.ReadBoolean() ? "true" : "false";
            default:
                // A JavaScript object key is always a string; other keys do not come from notepack.io.
                throw new MessagePackSerializationException("Unsupported msgpack map key.");
        }
    }

    private static void ReadExtension(ref MessagePackReader reader, Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments)
    {
        var peek = reader.CreatePeekReader();
        var header = peek.ReadExtensionFormatHeader();
        if (header.TypeCode == ReservedMessagePackExtensionTypeCode.DateTime)
        {
            // Node decodes a timestamp to a Date, whose JSON form is its ISO string.
            json.WriteStringValue(ToJavaScriptIso(TruncateToMilliseconds(reader.ReadDateTime())));
            return;
        }

        header = reader.ReadExtensionFormatHeader();
        var data = reader.ReadRaw(header.Length).ToArray();
        if (header.TypeCode == 0 && header.Length == 1)
        {
            // notepack.io's legacy encoding of undefined.
            json.WriteNullValue();
            return;
        }

        // notepack.io decodes any other extension to [type, Buffer].
        json.WriteStartArray();
        json.WriteNumberValue(header.TypeCode);
        WritePlaceholder(json, attachments, data);
        json.WriteEndArray();
    }

    private static DateTime TruncateToMilliseconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    private static void WriteDouble(Utf8JsonWriter json, double value)
    {
        if (!double.IsFinite(value))
        {
            // JSON.stringify writes null for NaN and the infinities.
            json.WriteNullValue();
        }
        else if (Math.Floor(value) == value && Math.Abs(value) < MaxExactDouble)
        {
            json.WriteNumberValue((long)value);
        }
        else
        {
            json.WriteNumberValue(value);
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, JsonElement element)
    {
        if (element.TryGetInt64(out var signed))
        {
            writer.Write(signed);
        }
        else if (element.TryGetUInt64(out var unsigned))
        {
            writer.Write(unsigned);
        }
        else
        {
            var value = element.GetDouble();
            if (Math.Floor(value) == value && Math.Abs(value) < MaxExactDouble)
            {
                writer.Write((long)value);
            }
            else
            {
                writer.Write(value);
            }
        }
    }

    private static void WritePlaceholder(Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, ReadOnlyMemory<byte> data)
    {
        json.WriteStartObject();
        json.WriteBoolean("_placeholder"u8, true);
        json.WriteNumber("num"u8, attachments.Count);
        json.WriteEndObject();
        attachments.Add(data);
    }

    private static bool TryGetPlaceholder(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments, out ReadOnlyMemory<byte> binary)
    {
        binary = default;
        if (attachments.Count == 0
            || !element.TryGetProperty("_placeholder"u8, out var flag) || flag.ValueKind != JsonValueKind.True
            || !element.TryGetProperty("num"u8, out var num) || !num.TryGetInt32(out var index)
            || index < 0 || index >= attachments.Count)
        {
            return false;
        }

        binary = attachments[index];
        return true;
    }
}
