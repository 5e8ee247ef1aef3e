using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TypedSio.Json;

namespace TypedSio.SocketIO;

/// <summary>
/// Builds the JSON payload of a packet from .NET values, taking every <c>byte[]</c> / <see cref="ReadOnlyMemory{T}"/>
/// out into an attachment wherever it sits. Strings and numbers are written as <c>JSON.stringify</c> writes them, so the
/// packet is the one the official encoder would produce. Values of other types go through the
/// <see cref="JsonSerializerOptions"/> given (AOT-safe with a source-generated resolver).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Utf8JsonWriter holds no unmanaged resources; it is flushed after every use.")]
public sealed class SocketIOPayloadWriter
{
    private const int MaxDepth = 1000;
    [ThreadStatic]
    private static Scratch? t_scratch;
    private readonly List<ReadOnlyMemory<byte>> _attachments = [];
    [ThreadStatic]
    private static SocketIOPayloadWriter? t_cached;
    private JsonSerializerOptions? _options;
    private Scratch? _scratch;
    private bool _inArray;
    private bool _needsComma;

    /// <summary>Creates a writer.</summary>
    /// <param name="options">Serializer options for values that are not plain JSON values, or null to refuse them.</param>
    public SocketIOPayloadWriter(JsonSerializerOptions? options = null) => _options = options;

    // The buffer and JSON writer are borrowed from a per-thread cache on first use and given back by ToPacket, so a
    // writer per packet (as generated code creates) allocates only the packet it returns.
    private ArrayBufferWriter<byte> Output => (_scratch ??= TakeScratch()).Buffer;

    /// <summary>A writer for one packet, reused per thread: building a packet then allocates only the packet.</summary>
    internal static SocketIOPayloadWriter Rent(JsonSerializerOptions? options)
    {
        var writer = t_cached;
        if (writer is null)
        {
            return new SocketIOPayloadWriter(options);
        }

        t_cached = null;
        writer._options = options;
        return writer;
    }

    /// <summary>Gives back a writer from <see cref="Rent"/> once its packet is taken; a large buffer is not kept.</summary>
    internal static void Return(SocketIOPayloadWriter writer)
    {
        writer.Clear();
        writer._options = null;
        t_cached = writer;
    }

    /// <summary>Starts the payload array of an event or ack.</summary>
    public void WriteStartArray()
    {
        WriteByte((byte)'[');
        _inArray = true;
        _needsComma = false;
    }

    /// <summary>Ends the payload array.</summary>
    public void WriteEndArray()
    {
        WriteByte((byte)']');
        _inArray = false;
    }

    /// <summary>Writes one value (an element of the array, or the whole payload).</summary>
    /// <param name="value">The value: null, a string, a number, a bool, binary, a JSON element or node, a dictionary,
    /// a sequence, a date, or any type the serializer options know.</param>
    public void WriteValue(object? value)
    {
        BeginElement();
        WriteUntyped(value, 0);
    }

    /// <summary>Writes one value through its serializer metadata (binary inside it needs <see cref="SocketIOBinaryConverter"/>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Its metadata, e.g. from a JsonSerializerContext.</param>
    public void WriteValue<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        BeginElement();
        var writer = GetJsonWriter();
        using (SocketIOBinaryScope.BeginWrite(_attachments))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        writer.Flush();
    }

    /// <summary>Writes a JSON value given as UTF-8 text, unchanged but for insignificant white space.</summary>
    /// <param name="utf8Json">One valid JSON value.</param>
    public void WriteRawValue(ReadOnlySpan<byte> utf8Json)
    {
        BeginElement();
        Output.Write(SocketIOPayloadValidator.CopyCompact(utf8Json, utf8Json.ContainsAny(" \t\r\n"u8)));
    }

    /// <summary>Creates a packet from what was written, then clears the writer for reuse.</summary>
    /// <param name="type">The packet type (events and acks become binary when there are attachments).</param>
    /// <param name="nsp">The namespace.</param>
    /// <param name="ackId">The ack id, or null.</param>
    /// <returns>The packet.</returns>
    public SocketIOPacket ToPacket(SocketIOPacketType type, string nsp = "/", long? ackId = null)
    {
        var packet = new SocketIOPacket(type, nsp, Output.WrittenSpan.ToArray(), ackId, _attachments.ToArray());
        Clear();
        ReleaseScratch();
        return packet;
    }

    /// <summary>Discards what was written.</summary>
    public void Clear()
    {
        _scratch?.Buffer.ResetWrittenCount();
        _attachments.Clear();
        _inArray = false;
        _needsComma = false;
    }

    private void BeginElement()
    {
        if (_inArray && _needsComma)
        {
            WriteByte((byte)',');
        }

        _needsComma = true;
    }

    private void WriteUntyped(object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"Values nested deeper than {MaxDepth} levels cannot be sent.");
        }

        switch (value)
        {
            case null:
                Output.Write("null"u8);
                break;
            case string s:
                JsJsonFormatter.WriteString(Output, s);
                break;
            case bool b:
                Output.Write(b ? "true"u8 : "false"u8);
                break;
            case char c:
                JsJsonFormatter.WriteString(Output, [c]);
                break;
            case byte[] bytes:
                WritePlaceholder(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                WritePlaceholder(memory);
                break;
            case Memory<byte> memory:
                WritePlaceholder(memory);
                break;
            case ArraySegment<byte> segment:
                WritePlaceholder(segment);
                break;
            case int or long or short or sbyte or byte or ushort or uint:
                JsJsonFormatter.WriteNumber(Output, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                JsJsonFormatter.WriteNumber(Output, u);
                break;
            case double d:
                JsJsonFormatter.WriteNumber(Output, d);
                break;
            case float f:
                JsJsonFormatter.WriteNumber(Output, f);
                break;
            case decimal m:
                WriteAscii(m.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset date:
                JsJsonFormatter.WriteString(Output, date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTime date:
                JsJsonFormatter.WriteString(Output, date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case JsonElement element:
                WriteElement(element);
                break;
            case JsonDocument document:
                WriteElement(document.RootElement);
                break;
            case JsonNode node:
                var writer = GetJsonWriter();
                node.WriteTo(writer);
                writer.Flush();
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                WriteObject(map, depth);
                break;
            case IEnumerable sequence:
                WriteArray(sequence, depth);
                break;
            default:
                WriteWithOptions(value);
                break;
        }
    }

    private void WriteObject(IEnumerable<KeyValuePair<string, object?>> map, int depth)
    {
        WriteByte((byte)'{');
        var first = true;
        foreach (var (key, item) in map)
        {
            if (!first)
            {
                WriteByte((byte)',');
            }

            first = false;
            JsJsonFormatter.WriteString(Output, key);
            WriteByte((byte)':');
            WriteUntyped(item, depth + 1);
        }

        WriteByte((byte)'}');
    }

    private void WriteArray(IEnumerable sequence, int depth)
    {
        WriteByte((byte)'[');
        var first = true;
        foreach (var item in sequence)
        {
            if (!first)
            {
                WriteByte((byte)',');
            }

            first = false;
            WriteUntyped(item, depth + 1);
        }

        WriteByte((byte)']');
    }

    private void WriteElement(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            Output.Write("null"u8);
            return;
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        Output.Write(SocketIOPayloadValidator.CopyCompact(raw, raw.ContainsAny(" \t\r\n"u8)));
    }

    private void WriteWithOptions(object value)
    {
        var type = value.GetType();
        var typeInfo = _options?.TryGetTypeInfo(type, out var info) == true ? info : null;
        if (typeInfo is null)
        {
            throw new NotSupportedException(
                $"Cannot send a {type.FullName}: pass JsonSerializerOptions whose TypeInfoResolver knows it " +
                "(e.g. a JsonSerializerContext listing the type), or send a JsonElement.");
        }

        var writer = GetJsonWriter();
        using (SocketIOBinaryScope.BeginWrite(_attachments))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        writer.Flush();
    }

    private void WritePlaceholder(ReadOnlyMemory<byte> bytes)
    {
        Output.Write("{\"_placeholder\":true,\"num\":"u8);
        JsJsonFormatter.WriteNumber(Output, (long)_attachments.Count);
        WriteByte((byte)'}');
        _attachments.Add(bytes);
    }

    private Utf8JsonWriter GetJsonWriter()
    {
        var scratch = _scratch ??= TakeScratch();
        if (scratch.Json is null)
        {
            scratch.Json = new Utf8JsonWriter(scratch.Buffer, new JsonWriterOptions
            {
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                SkipValidation = true,
                MaxDepth = MaxDepth,
            });
        }
        else
        {
            scratch.Json.Reset(scratch.Buffer);
        }

        return scratch.Json;
    }

    private static Scratch TakeScratch()
    {
        var scratch = t_scratch;
        if (scratch is null)
        {
            return new Scratch();
        }

        t_scratch = null;
        return scratch;
    }

    // The packet has copied the bytes out: the buffer (and JSON writer) go back to this thread's cache, unless a very
    // large payload grew the buffer, which is then left to the GC.
    private void ReleaseScratch()
    {
        if (_scratch is { } scratch)
        {
            _scratch = null;
            if (scratch.Buffer.Capacity <= 16 * 1024)
            {
                scratch.Buffer.ResetWrittenCount();
                t_scratch = scratch;
            }
        }
    }

    private void WriteByte(byte value)
    {
        Output.GetSpan(1)[0] = value;
        Output.Advance(1);
    }

    private void WriteAscii(string text)
    {
        var span = Output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        Output.Advance(text.Length);
    }

    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Buffer = new(256);
        public Utf8JsonWriter? Json;
    }
}
