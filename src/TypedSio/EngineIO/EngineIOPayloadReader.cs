using System.Buffers;
using TypedSio.Internal;

namespace TypedSio.EngineIO;

/// <summary>
/// Reads the packets of one long-polling payload in order, without copying text packets. Like the reference parser,
/// it yields the packets before a malformed one and then stops with <see cref="Error"/> set.
/// </summary>
public struct EngineIOPayloadReader
{
    private const byte RecordSeparator = 0x1E;
    private readonly EngineIOPayloadFormat _format;
    private readonly int _maxPackets;
    private readonly long _totalLength;
    private ReadOnlySequence<byte> _remaining;
    private bool _done;
    private int _count;

    /// <summary>Creates a reader over a payload.</summary>
    /// <param name="payload">The request or response body.</param>
    /// <param name="format">The payload's framing.</param>
    /// <param name="maxPackets">The most packets one payload may hold.</param>
    public EngineIOPayloadReader(ReadOnlySequence<byte> payload, EngineIOPayloadFormat format = EngineIOPayloadFormat.V4, int maxPackets = int.MaxValue)
    {
        _remaining = payload;
        _format = format;
        _maxPackets = maxPackets;
        _totalLength = payload.Length;
        _done = false;
        _count = 0;
        Error = null;

        // An empty body is a single empty record in v4 and an error in v3; either way the reference reports a parse error.
        if (payload.IsEmpty && format != EngineIOPayloadFormat.V3Binary)
        {
            _done = true;
            Error = new EngineIOParseError(format == EngineIOPayloadFormat.V4 ? EngineIOParseErrorKind.EmptyPacket : EngineIOParseErrorKind.InvalidLength, 0);
        }
    }

    /// <summary>The error that stopped reading, or null when the payload was read to its end without one.</summary>
    public EngineIOParseError? Error { get; private set; }

    private readonly long Position => _totalLength - _remaining.Length;

    /// <summary>Reads the next packet.</summary>
    /// <param name="packet">The packet read.</param>
    /// <returns>False at the end of the payload or on an error (see <see cref="Error"/>).</returns>
    public bool TryRead(out EngineIOPacket packet)
    {
        packet = default;
        while (!_done)
        {
            if (_count == _maxPackets)
            {
                return Fail(EngineIOParseErrorKind.TooManyPackets, Position);
            }

            var read = _format switch
            {
                EngineIOPayloadFormat.V4 => ReadV4(out packet),
                EngineIOPayloadFormat.V3Text => ReadV3Text(out packet),
                _ => ReadV3Binary(out packet),
            };
            switch (read)
            {
                case ReadResult.Packet:
                    _count++;
                    return true;
                case ReadResult.Failed:
                    return false;
                default:
                    continue; // an empty v3 record ("0:") carries no packet
            }
        }

        return false;
    }

    private enum ReadResult
    {
        Packet,
        Skipped,
        Failed,
    }

    private ReadResult ReadV4(out EngineIOPacket packet)
    {
        var start = Position;
        ReadOnlySequence<byte> record;
        var separator = _remaining.PositionOf(RecordSeparator);
        if (separator is { } at)
        {
            record = _remaining.Slice(0, at);
            _remaining = _remaining.Slice(_remaining.GetPosition(1, at));
        }
        else
        {
            record = _remaining;
            _remaining = default;
            _done = true;
        }

        if (EngineIOFrameCodec.TryDecodeText(record, EngineIOProtocolVersion.V4, out packet, out var error))
        {
            return ReadResult.Packet;
        }

        Fail(error.Kind, start + error.Position);
        return ReadResult.Failed;
    }

    private ReadResult ReadV3Text(out EngineIOPacket packet)
    {
        packet = default;
        if (_remaining.IsEmpty)
        {
            _done = true;
            return ReadResult.Skipped;
        }

        var start = Position;
        if (_remaining.PositionOf((byte)':') is not { } colon)
        {
            // Length characters with no ':' after them: the reference rejects the payload.
            Fail(EngineIOParseErrorKind.InvalidLength, start);
            return ReadResult.Failed;
        }

        var prefix = _remaining.Slice(0, colon);
        var declared = prefix.IsEmpty ? double.NaN : JsNumber.Parse(prefix.ToArray());
        if (double.IsNaN(declared) || declared < 0 || declared != Math.Floor(declared) || declared > int.MaxValue)
        {
            Fail(EngineIOParseErrorKind.InvalidLength, start);
            return ReadResult.Failed;
        }

        var afterColon = _remaining.Slice(_remaining.GetPosition(1, colon));
        if (!TryTakeUtf16Units(afterColon, (long)declared, out var byteLength))
        {
            Fail(EngineIOParseErrorKind.InvalidLength, start);
            return ReadResult.Failed;
        }

        var record = afterColon.Slice(0, byteLength);
        _remaining = afterColon.Slice(byteLength);
        if (record.IsEmpty)
        {
            return ReadResult.Skipped;
        }

        if (EngineIOFrameCodec.TryDecodeText(record, EngineIOProtocolVersion.V3, out packet, out var error))
        {
            return ReadResult.Packet;
        }

        Fail(error.Kind, start + prefix.Length + 1 + error.Position);
        return ReadResult.Failed;
    }

    private ReadResult ReadV3Binary(out EngineIOPacket packet)
    {
        packet = default;
        if (_remaining.IsEmpty)
        {
            _done = true;
            return ReadResult.Skipped;
        }

        var start = Position;
        var reader = new SequenceReader<byte>(_remaining);
        reader.TryRead(out var kind);
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!reader.TryRead(out var digit))
            {
                Fail(EngineIOParseErrorKind.Truncated, start + reader.Consumed);
                return ReadResult.Failed;
            }

            if (digit == 0xFF)
            {
                break;
            }

            // One byte per decimal digit; the reference gives up after 310 of them.
            if (digit > 9 || ++digits > 310)
            {
                Fail(EngineIOParseErrorKind.InvalidLength, start + reader.Consumed - 1);
                return ReadResult.Failed;
            }

            length = Math.Min((length * 10) + digit, long.MaxValue / 20);
        }

        if (digits == 0 || reader.Remaining < length)
        {
            Fail(digits == 0 ? EngineIOParseErrorKind.InvalidLength : EngineIOParseErrorKind.Truncated, start + reader.Consumed);
            return ReadResult.Failed;
        }

        var body = reader.UnreadSequence.Slice(0, length);
        var bodyStart = start + reader.Consumed;
        _remaining = reader.UnreadSequence.Slice(length);
        EngineIOParseError error;
        var ok = kind == 0
            ? EngineIOFrameCodec.TryDecodeText(body, EngineIOProtocolVersion.V3, out packet, out error)
            : EngineIOFrameCodec.TryDecodeBinary(body, EngineIOProtocolVersion.V3, out packet, out error);
        if (ok)
        {
            return ReadResult.Packet;
        }

        Fail(error.Kind, bodyStart + error.Position);
        return ReadResult.Failed;
    }

    // Walks UTF-8 until 'units' UTF-16 code units are covered; fails if the text is shorter or a surrogate pair would be split.
    private static bool TryTakeUtf16Units(in ReadOnlySequence<byte> text, long units, out long byteLength)
    {
        byteLength = 0;
        var reader = new SequenceReader<byte>(text);
        long counted = 0;
        while (counted < units)
        {
            if (!reader.TryPeek(out var lead))
            {
                return false;
            }

            var (size, width) = lead switch
            {
                < 0x80 => (1, 1),
                >= 0xC0 and < 0xE0 => (2, 1),
                >= 0xE0 and < 0xF0 => (3, 1),
                >= 0xF0 and < 0xF8 => (4, 2),
                _ => (1, 1), // a stray byte; UTF-8 validation of the record reports it
            };
            if (counted + width > units || reader.Remaining < size)
            {
                return false;
            }

            reader.Advance(size);
            counted += width;
        }

        byteLength = reader.Consumed;
        return true;
    }

    private bool Fail(EngineIOParseErrorKind kind, long position)
    {
        Error = new EngineIOParseError(kind, position);
        _done = true;
        return false;
    }
}
