using System.Buffers;
using System.Text;
using TypedSio.Internal;

namespace TypedSio.SocketIO;

/// <summary>
/// Decodes the Socket.IO packets of one connection: text packets, and the binary messages that carry a binary packet's
/// attachments. Accepts and rejects exactly what the official <c>socket.io-parser</c> does (the documented exceptions
/// are ack ids the reference would read as NaN or beyond 2^53, and placeholders with a non-integer index, which it
/// would turn into <c>undefined</c>). Not thread-safe: one decoder per connection, fed in arrival order.
/// </summary>
public sealed partial class SocketIODecoder
{
    private readonly SocketIOParserOptions _options;
    private readonly NamespaceCache _namespaces = new();
    private Pending? _pending;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">Limits; <see cref="SocketIOParserOptions.Default"/> when null.</param>
    public SocketIODecoder(SocketIOParserOptions? options = null) => _options = options ?? SocketIOParserOptions.Default;

    /// <summary>Whether a binary packet is waiting for more attachments.</summary>
    public bool IsAwaitingAttachments => _pending is not null;

    /// <summary>Decodes a text packet.</summary>
    /// <param name="text">The packet text (UTF-8), as carried by one Engine.IO message.</param>
    /// <param name="packet">The packet, or null when it is a binary packet that waits for its attachments.</param>
    /// <param name="error">Why decoding failed, when it did.</param>
    /// <returns>False when the input is malformed; the decoder is then reset.</returns>
    public bool TryDecodeText(in ReadOnlySequence<byte> text, out SocketIOPacket? packet, out SocketIOParseError error)
    {
        packet = null;
        if (_pending is not null)
        {
            _pending = null;
            error = new(SocketIOParseErrorKind.UnexpectedText, 0);
            return false;
        }

        if (text.Length > _options.MaxPacketSize)
        {
            error = new(SocketIOParseErrorKind.PacketTooLarge, _options.MaxPacketSize);
            return false;
        }

        if (text.IsSingleSegment)
        {
            return TryDecodeText(text.FirstSpan, out packet, out error);
        }

        var length = (int)text.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            text.CopyTo(rented);
            return TryDecodeText(rented.AsSpan(0, length), out packet, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes a text packet given as a string.</summary>
    /// <param name="text">The packet text.</param>
    /// <param name="packet">The packet, or null when it waits for attachments.</param>
    /// <param name="error">Why decoding failed, when it did.</param>
    /// <returns>False when the input is malformed.</returns>
    public bool TryDecodeText(string text, out SocketIOPacket? packet, out SocketIOParseError error) =>
        TryDecodeText(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), out packet, out error);

    /// <summary>Takes one binary attachment of the pending binary packet.</summary>
    /// <param name="data">The attachment's bytes (copied).</param>
    /// <param name="packet">The packet, once its last attachment has arrived; null before that.</param>
    /// <param name="error">Why decoding failed, when it did.</param>
    /// <returns>False when no packet was waiting or a placeholder is invalid; the decoder is then reset.</returns>
    public bool TryDecodeBinary(in ReadOnlySequence<byte> data, out SocketIOPacket? packet, out SocketIOParseError error)
    {
        packet = null;
        error = default;
        if (_pending is not { } pending)
        {
            error = new(SocketIOParseErrorKind.UnexpectedBinary, 0);
            return false;
        }

        pending.Attachments.Add(data.ToArray());
        if (pending.Attachments.Count < pending.Expected)
        {
            return true;
        }

        _pending = null;
        if (!pending.PlaceholdersValid)
        {
            error = new(SocketIOParseErrorKind.InvalidPlaceholder, 0);
            return false;
        }

        packet = new SocketIOPacket(pending.Type, pending.Namespace, pending.Payload, pending.AckId, pending.Attachments);
        return true;
    }

    /// <summary>Forgets a partly received binary packet (e.g. when the connection closes).</summary>
    public void Reset() => _pending = null;

    private bool TryDecodeText(ReadOnlySpan<byte> s, out SocketIOPacket? packet, out SocketIOParseError error)
    {
        packet = null;
        error = default;
        var invalidAt = Utf8Text.IndexOfInvalid(s);
        if (invalidAt >= 0)
        {
            return Fail(SocketIOParseErrorKind.InvalidUtf8, invalidAt, out error);
        }

        // The reference reads the type with Number(charAt(0)): an empty string or white space reads as 0 (CONNECT).
        var p = s.IsEmpty ? 0 : CharLength(s, 0);
        var first = s.IsEmpty ? ' ' : CodePointAt(s, 0);
        if (!JsNumber.IsDigitLike(first) || first is '7' or '8' or '9')
        {
            return Fail(SocketIOParseErrorKind.UnknownPacketType, 0, out error);
        }

        var type = (SocketIOPacketType)(first is >= '0' and <= '9' ? first - '0' : 0);
        var attachments = 0;
        if (type is SocketIOPacketType.BinaryEvent or SocketIOPacketType.BinaryAck)
        {
            var dash = s[p..].IndexOf((byte)'-');
            var count = dash < 0 ? double.NaN : JsNumber.Parse(s.Slice(p, dash));
            if (double.IsNaN(count) || count != Math.Floor(count) || count < 1)
            {
                return Fail(SocketIOParseErrorKind.IllegalAttachments, p, out error);
            }

            if (count > _options.MaxAttachments)
            {
                return Fail(SocketIOParseErrorKind.TooManyAttachments, p, out error);
            }

            attachments = (int)count;
            p += dash + 1;
        }

        var nsp = "/";
        if (p < s.Length && s[p] == (byte)'/')
        {
            var comma = s[p..].IndexOf((byte)',');
            var end = comma < 0 ? s.Length : p + comma;
            nsp = _namespaces.Get(s[p..end]);
            p = comma < 0 ? s.Length : end + 1;
        }

        long? ackId = null;
        var idStart = p;
        while (p < s.Length && JsNumber.IsDigitLike(CodePointAt(s, p)))
        {
            p += CharLength(s, p);
        }

        var idError = false;
        if (p > idStart)
        {
            var id = JsNumber.Parse(s[idStart..p]);
            idError = double.IsNaN(id) || id > 9007199254740991d;
            ackId = idError ? null : (long)id;
        }

        // A missing payload is accepted for every type, as the reference does; the shape rules apply to a present one.
        ReadOnlyMemory<byte> payload = default;
        var placeholdersValid = true;
        if (p < s.Length)
        {
            if (!SocketIOPayloadValidator.TryValidate(s[p..], type, attachments, _options.MaxDepth, out var info, out var kind, out var at))
            {
                return Fail(kind, p + at, out error);
            }

            payload = SocketIOPayloadValidator.CopyCompact(s[p..], info.HasWhiteSpace);
            placeholdersValid = info.PlaceholdersValid;
        }

        if (idError)
        {
            return Fail(SocketIOParseErrorKind.InvalidAckId, idStart, out error);
        }

        if (attachments > 0)
        {
            _pending = new Pending(type, nsp, payload, ackId, attachments, placeholdersValid);
            return true;
        }

        packet = new SocketIOPacket(type, nsp, payload, ackId);
        return true;
    }

    private bool Fail(SocketIOParseErrorKind kind, long position, out SocketIOParseError error)
    {
        _pending = null;
        error = new SocketIOParseError(kind, position);
        return false;
    }

    private static int CharLength(ReadOnlySpan<byte> s, int index) => s[index] switch
    {
        < 0x80 => 1,
        < 0xE0 => 2,
        < 0xF0 => 3,
        _ => 4,
    };

    private static int CodePointAt(ReadOnlySpan<byte> s, int index)
    {
        if (s[index] < 0x80)
        {
            return s[index];
        }

        Rune.DecodeFromUtf8(s[index..], out var rune, out _);
        return rune.Value;
    }

    private sealed class Pending(SocketIOPacketType type, string nsp, ReadOnlyMemory<byte> payload, long? ackId, int expected, bool placeholdersValid)
    {
        public SocketIOPacketType Type { get; } = type;

        public string Namespace { get; } = nsp;

        public ReadOnlyMemory<byte> Payload { get; } = payload;

        public long? AckId { get; } = ackId;

        public int Expected { get; } = expected;

        public bool PlaceholdersValid { get; } = placeholdersValid;

        public List<ReadOnlyMemory<byte>> Attachments { get; } = new(expected);
    }

    // Connections use a handful of namespaces; reusing their strings keeps steady-state decoding allocation-free. Made
    // on first use: a connection that only speaks to the main namespace never names one.
    private sealed class NamespaceCache
    {
        private (byte[] Utf8, string Value)[]? _entries;
        private int _next;

        public string Get(ReadOnlySpan<byte> utf8)
        {
            _entries ??= new (byte[], string)[8];
            foreach (var entry in _entries)
            {
                if (entry.Utf8 is not null && utf8.SequenceEqual(entry.Utf8))
                {
                    return entry.Value;
                }
            }

            var value = Encoding.UTF8.GetString(utf8);
            _entries[_next] = (utf8.ToArray(), value);
            _next = (_next + 1) % _entries.Length;
            return value;
        }
    }
}
