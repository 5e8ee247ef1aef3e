using System.Text.Json;

namespace TypedSio.SocketIO;

/// <summary>
/// Checks a packet payload the way the reference does (<c>JSON.parse</c>, then the shape its packet type requires) in
/// one pass of <see cref="Utf8JsonReader"/>, and copies it without insignificant white space.
/// </summary>
internal static class SocketIOPayloadValidator
{
    private static readonly byte[][] ReservedEventNames =
    [
        "connect"u8.ToArray(), "connect_error"u8.ToArray(), "disconnect"u8.ToArray(),
        "disconnecting"u8.ToArray(), "newListener"u8.ToArray(), "removeListener"u8.ToArray(),
    ];

    internal readonly record struct PayloadInfo(bool HasWhiteSpace, bool PlaceholdersValid);

    public static bool TryValidate(
        ReadOnlySpan<byte> json,
        SocketIOPacketType type,
        int attachments,
        int maxDepth,
        out PayloadInfo info,
        out SocketIOParseErrorKind kind,
        out long position)
    {
        info = default;
        kind = default;
        position = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var hasWhiteSpace = false;
        long previousEnd = 0;
        var placeholders = attachments > 0 ? new PlaceholderTracker(attachments) : null;
        try
        {
            var index = 0;
            while (reader.Read())
            {
                if (reader.TokenStartIndex != previousEnd && !IsSeparatorOnly(json, previousEnd, reader.TokenStartIndex))
                {
                    hasWhiteSpace = true;
                }

                previousEnd = reader.BytesConsumed;
                if (index++ == 0 && !IsValidRoot(type, reader.TokenType))
                {
                    kind = SocketIOParseErrorKind.InvalidPayload;
                    return false;
                }

                if (index == 2 && type is SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent && !IsValidEventName(ref reader, out kind))
                {
                    position = reader.TokenStartIndex;
                    return false;
                }

                placeholders?.Observe(ref reader);
            }

            if (previousEnd != json.Length)
            {
                hasWhiteSpace = true; // trailing white space after the value
            }

            if (index == 1 && type is SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent)
            {
                kind = SocketIOParseErrorKind.InvalidPayload; // an empty array has no event name
                return false;
            }
        }
        catch (JsonException exception)
        {
            kind = SocketIOParseErrorKind.InvalidJson;
            position = exception.BytePositionInLine ?? 0;
            return false;
        }

        info = new PayloadInfo(hasWhiteSpace, placeholders?.AllValid ?? true);
        return true;
    }

    /// <summary>Copies the payload, dropping white space outside strings when there is any.</summary>
    public static byte[] CopyCompact(ReadOnlySpan<byte> json, bool hasWhiteSpace)
    {
        if (!hasWhiteSpace)
        {
            return json.ToArray();
        }

        var output = new byte[json.Length];
        var written = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                output[written++] = b;
                if (b == (byte)'\\')
                {
                    output[written++] = json[++i];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                output[written++] = b;
                inString = b == (byte)'"';
            }
        }

        return output.AsSpan(0, written).ToArray();
    }

    private static bool IsSeparatorOnly(ReadOnlySpan<byte> json, long from, long to)
    {
        for (var i = (int)from; i < to; i++)
        {
            if (json[i] is not ((byte)',' or (byte)':'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidRoot(SocketIOPacketType type, JsonTokenType token) => type switch
    {
        SocketIOPacketType.Connect => token == JsonTokenType.StartObject,
        SocketIOPacketType.Disconnect => false,
        SocketIOPacketType.ConnectError => token is JsonTokenType.StartObject or JsonTokenType.String,
        _ => token == JsonTokenType.StartArray,
    };

    private static bool IsValidEventName(ref Utf8JsonReader reader, out SocketIOParseErrorKind kind)
    {
        kind = SocketIOParseErrorKind.InvalidPayload;
        if (reader.TokenType == JsonTokenType.Number)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        foreach (var reserved in ReservedEventNames)
        {
            if (reader.ValueTextEquals(reserved))
            {
                kind = SocketIOParseErrorKind.ReservedEventName;
                return false;
            }
        }

        return true;
    }

    // Mirrors the reference's reconstruction: any object with "_placeholder": true must have a numeric "num" naming an
    // existing attachment.
    private sealed class PlaceholderTracker(int attachments)
    {
        private readonly Stack<State> _objects = new();
        private string? _property;

        public bool AllValid { get; private set; } = true;

        public void Observe(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _objects.Push(new State(reader.CurrentDepth + 1));
                    _property = null;
                    return;
                case JsonTokenType.EndObject:
                    var done = _objects.Pop();
                    if (done.IsPlaceholder && !(done.Num is { } num && num >= 0 && num < attachments && num == Math.Floor(num)))
                    {
                        AllValid = false;
                    }

                    _property = null;
                    return;
                case JsonTokenType.PropertyName:
                    _property = reader.ValueTextEquals("_placeholder"u8) ? "_placeholder" : reader.ValueTextEquals("num"u8) ? "num" : null;
                    return;
                case JsonTokenType.StartArray:
                    _property = null;
                    return;
            }

            if (_property is not null && _objects.Count > 0 && reader.CurrentDepth == _objects.Peek().MemberDepth)
            {
                var state = _objects.Peek();
                if (_property == "_placeholder")
                {
                    state.IsPlaceholder = reader.TokenType == JsonTokenType.True;
                }
                else
                {
                    state.Num = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var n) ? n : null;
                }
            }

            _property = null;
        }

        private sealed class State(int memberDepth)
        {
            public int MemberDepth { get; } = memberDepth;

            public bool IsPlaceholder { get; set; }

            public double? Num { get; set; }
        }
    }
}
