using System.Buffers;
using System.Buffers.Text;
using TypedSio.Internal;

namespace TypedSio.EngineIO;

/// <summary>
/// Encodes and decodes single Engine.IO packets: one WebSocket frame, or one record of a long-polling payload.
/// Pure: no I/O, no clocks; input is a <see cref="ReadOnlySequence{T}"/> and output goes to an <see cref="IBufferWriter{T}"/>.
/// </summary>
public static class EngineIOFrameCodec
{
    /// <summary>Decodes a text frame (or payload record).</summary>
    /// <param name="frame">The UTF-8 text of the frame.</param>
    /// <param name="version">The protocol version spoken on the connection.</param>
    /// <param name="packet">The decoded packet; its text data slices <paramref name="frame"/>.</param>
    /// <param name="error">Why decoding failed, when it did.</param>
    /// <returns>True when a packet was decoded.</returns>
    public static bool TryDecodeText(
        in ReadOnlySequence<byte> frame,
        EngineIOProtocolVersion version,
        out EngineIOPacket packet,
        out EngineIOParseError error)
    {
        packet = default;
        error = default;
        if (frame.IsEmpty)
        {
            error = new(EngineIOParseErrorKind.EmptyPacket, 0);
            return false;
        }

        var first = frame.FirstSpan[0];
        if (first == (byte)'b')
        {
            return TryDecodeBase64(frame.Slice(1), version, out packet, out error);
        }

        if (!TryGetType(first, out var type))
        {
            error = new(EngineIOParseErrorKind.UnknownPacketType, 0);
            return false;
        }

        var data = frame.Slice(1);
        var invalidAt = Utf8Text.IndexOfInvalid(data);
        if (invalidAt >= 0)
        {
            error = new(EngineIOParseErrorKind.InvalidUtf8, invalidAt + 1);
            return false;
        }

        packet = new EngineIOPacket(type, data, isBinary: false);
        return true;
    }

    /// <summary>Decodes a binary WebSocket frame: a binary message in v4; a type byte then the data in v3.</summary>
    /// <param name="frame">The frame's bytes.</param>
    /// <param name="version">The protocol version spoken on the connection.</param>
    /// <param name="packet">The decoded packet; its data slices <paramref name="frame"/>.</param>
    /// <param name="error">Why decoding failed, when it did.</param>
    /// <returns>True when a packet was decoded.</returns>
    public static bool TryDecodeBinary(
        in ReadOnlySequence<byte> frame,
        EngineIOProtocolVersion version,
        out EngineIOPacket packet,
        out EngineIOParseError error)
    {
        error = default;
        if (version == EngineIOProtocolVersion.V4)
        {
            packet = new EngineIOPacket(EngineIOPacketType.Message, frame, isBinary: true);
            return true;
        }

        packet = default;
        if (frame.IsEmpty)
        {
            error = new(EngineIOParseErrorKind.EmptyPacket, 0);
            return false;
        }

        var typeByte = frame.FirstSpan[0];
        if (typeByte > (byte)EngineIOPacketType.Noop)
        {
            error = new(EngineIOParseErrorKind.UnknownPacketType, 0);
            return false;
        }

        packet = new EngineIOPacket((EngineIOPacketType)typeByte, frame.Slice(1), isBinary: true);
        return true;
    }

    /// <summary>
    /// Writes a packet as text: the type digit then the data; binary data as <c>b</c> + base64 (v4) or
    /// <c>b4</c> + base64 (v3), as long-polling requires.
    /// </summary>
    /// <param name="packet">The packet.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="version">The protocol version spoken on the connection.</param>
    public static void WriteText(in EngineIOPacket packet, IBufferWriter<byte> output, EngineIOProtocolVersion version = EngineIOProtocolVersion.V4)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (packet.IsBinary)
        {
            WriteBase64(packet, output, version);
            return;
        }

        var span = output.GetSpan(1);
        span[0] = (byte)('0' + (int)packet.Type);
        output.Advance(1);
        foreach (var segment in packet.Data)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>Writes a binary packet's WebSocket frame: the raw bytes in v4; a type byte then the bytes in v3.</summary>
    /// <param name="packet">A binary packet.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="version">The protocol version spoken on the connection.</param>
    /// <exception cref="ArgumentException">The packet is not binary.</exception>
    public static void WriteBinary(in EngineIOPacket packet, IBufferWriter<byte> output, EngineIOProtocolVersion version = EngineIOProtocolVersion.V4)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!packet.IsBinary)
        {
            throw new ArgumentException("Only binary packets are written as binary frames.", nameof(packet));
        }

        if (version == EngineIOProtocolVersion.V3)
        {
            var span = output.GetSpan(1);
            span[0] = (byte)packet.Type;
            output.Advance(1);
        }

        foreach (var segment in packet.Data)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>The number of bytes <see cref="WriteText"/> writes for a packet.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="version">The protocol version spoken on the connection.</param>
    /// <returns>The encoded length in bytes.</returns>
    public static long GetTextLength(in EngineIOPacket packet, EngineIOProtocolVersion version = EngineIOProtocolVersion.V4) =>
        packet.IsBinary
            ? (version == EngineIOProtocolVersion.V3 ? 2 : 1) + (((packet.Data.Length + 2) / 3) * 4)
            : 1 + packet.Data.Length;

    internal static bool TryGetType(byte c, out EngineIOPacketType type)
    {
        var value = c - (byte)'0';
        type = (EngineIOPacketType)value;
        return value is >= 0 and <= (int)EngineIOPacketType.Noop;
    }

    private static bool TryDecodeBase64(in ReadOnlySequence<byte> rest, EngineIOProtocolVersion version, out EngineIOPacket packet, out EngineIOParseError error)
    {
        packet = default;
        error = default;
        var type = EngineIOPacketType.Message;
        var base64 = rest;
        if (version == EngineIOProtocolVersion.V3)
        {
            // v3 writes the packet type after the 'b' ("b4...").
            if (rest.IsEmpty || !TryGetType(rest.FirstSpan[0], out type))
            {
                error = new(EngineIOParseErrorKind.UnknownPacketType, 1);
                return false;
            }

            base64 = rest.Slice(1);
        }

        packet = new EngineIOPacket(type, new ReadOnlySequence<byte>(ForgivingBase64.Decode(base64)), isBinary: true);
        return true;
    }

    private static void WriteBase64(in EngineIOPacket packet, IBufferWriter<byte> output, EngineIOProtocolVersion version)
    {
        var prefix = version == EngineIOProtocolVersion.V3 ? 2 : 1;
        var length = checked((int)packet.Data.Length);
        var encodedLength = Base64.GetMaxEncodedToUtf8Length(length);
        var span = output.GetSpan(prefix + encodedLength);
        span[0] = (byte)'b';
        if (prefix == 2)
        {
            span[1] = (byte)('0' + (int)packet.Type);
        }

        byte[]? rented = null;
        var data = packet.Data.IsSingleSegment
            ? packet.Data.FirstSpan
            : CopyToRented(packet.Data, out rented);
        try
        {
            Base64.EncodeToUtf8(data, span[prefix..], out _, out var written);
            output.Advance(prefix + written);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ReadOnlySpan<byte> CopyToRented(in ReadOnlySequence<byte> data, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent((int)data.Length);
        data.CopyTo(rented);
        return rented.AsSpan(0, (int)data.Length);
    }
}
