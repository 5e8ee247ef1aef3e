using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TypedSio.SocketIO;

namespace TypedSio.Redis.Tests.Support;

/// <summary>Values as the Node scripts print them (binary as {"$bin": base64}), and JSON compared by value.</summary>
internal static class JsonShow
{
    public static string Show(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(json, element, attachments);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Event arguments as a JSON array in the Node scripts' notation.</summary>
    public static string Show(SocketIOArguments arguments)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            for (var i = 0; i < arguments.Count; i++)
            {
                WriteParallel(json, arguments.GetJson(i), arguments.GetValue(i));
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static void AssertEquivalent(string expected, string actual)
    {
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.True(Equivalent(a.RootElement, b.RootElement), $"expected {expected}\nactual   {actual}");
    }

    public static bool Equivalent(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return decimal.TryParse(a.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    && decimal.TryParse(b.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                    ? x == y
                    : a.GetDouble() == b.GetDouble();
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Equivalent(p.First, p.Second));
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                return left.Count == right.Count && left.All(p => right.TryGetValue(p.Key, out var other) && Equivalent(p.Value, other));
            default:
                return true;
        }
    }

    private static void Write(Utf8JsonWriter json, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(json, item, attachments);
                }

                json.WriteEndArray();
                break;
            case JsonValueKind.Object:
                if (element.TryGetProperty("_placeholder", out var flag) && flag.ValueKind == JsonValueKind.True
                    && element.TryGetProperty("num", out var num) && num.GetInt32() < attachments.Count)
                {
                    json.WriteStartObject();
                    json.WriteString("$bin", Convert.ToBase64String(attachments[num.GetInt32()].Span));
                    json.WriteEndObject();
                    break;
                }

                json.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    json.WritePropertyName(property.Name);
                    Write(json, property.Value, attachments);
                }

                json.WriteEndObject();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }

    // The JSON keeps numbers exact; the plain values resolve placeholders to bytes: walk both together.
    private static void WriteParallel(Utf8JsonWriter json, JsonElement element, object? value)
    {
        switch (value)
        {
            case byte[] bytes:
                json.WriteStartObject();
                json.WriteString("$bin", Convert.ToBase64String(bytes));
                json.WriteEndObject();
                break;
            case List<object?> list:
                json.WriteStartArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    WriteParallel(json, item, list[i++]);
                }

                json.WriteEndArray();
                break;
            case Dictionary<string, object?> map:
                json.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    json.WritePropertyName(property.Name);
                    WriteParallel(json, property.Value, map[property.Name]);
                }

                json.WriteEndObject();
                break;
            default:
                element.WriteTo(json);
                break;
        }
    }
}
