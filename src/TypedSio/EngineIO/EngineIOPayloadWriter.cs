using System.Buffers;
using System.Globalization;

namespace TypedSio.EngineIO;

/// <summary>Writes the packets of one long-polling response or request body.</summary>
public static class EngineIOPayloadWriter
{
    private const byte RecordSeparator = 0x1E;

    /// <summary>Writes packets as one payload.</summary>
    /// <param name="packets">The packets, in order.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="format">The payload framing.</param>
    public static void Write(ReadOnlySpan<EngineIOPacket> packets, IBufferWriter<byte> output, EngineIOPayloadFormat format = EngineIOPayloadFormat.V4)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (format)
        {
            case EngineIOPayloadFormat.V4:
                for (var i = 0; i < packets.Length; i++)
                {
                    if (i > 0)
                    {
                        WriteByte(output, RecordSeparator);
                    }

                    EngineIOFrameCodec.WriteText(packets[i], output, EngineIOProtocolVersion.V4);
                }

                break;
            case EngineIOPayloadFormat.V3Text:
                if (packets.IsEmpty)
                {
                    output.Write("0:"u8); // what the reference sends for an empty v3 payload
                }

                foreach (var packet in packets)
                {
                    WriteDecimal(output, GetUtf16Length(packet));
                    WriteByte(output, (byte)':');
                    EngineIOFrameCodec.WriteText(packet, output, EngineIOProtocolVersion.V3);
                }

                break;
            case EngineIOPayloadFormat.V3Binary:
                foreach (var packet in packets)
                {
                    WriteByte(output, packet.IsBinary ? (byte)1 : (byte)0);
                    var length = 1 + packet.Data.Length;
                    foreach (var digit in length.ToString(CultureInfo.InvariantCulture))
                    {
                        WriteByte(output, (byte)(digit - '0'));
                    }

                    WriteByte(output, 0xFF);
                    if (packet.IsBinary)
                    {
                        EngineIOFrameCodec.WriteBinary(packet, output, EngineIOProtocolVersion.V3);
                    }
                    else
                    {
                        EngineIOFrameCodec.WriteText(packet, output, EngineIOProtocolVersion.V3);
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown payload format.");
        }
    }

    /// <summary>Whether any packet is binary (the reference then prefers the v3 binary payload when the client supports it).</summary>
    /// <param name="packets">The packets.</param>
    /// <returns>True when one or more packets are binary.</returns>
    public static bool HasBinary(ReadOnlySpan<EngineIOPacket> packets)
    {
        foreach (var packet in packets)
        {
            if (packet.IsBinary)
            {
                return true;
            }
        }

        return false;
    }

    // The v3 length prefix counts UTF-16 code units of the encoded packet, as JavaScript's String.length does.
    private static long GetUtf16Length(in EngineIOPacket packet)
    {
        if (packet.IsBinary)
        {
            return EngineIOFrameCodec.GetTextLength(packet, EngineIOProtocolVersion.V3);
        }

        long units = 1;
        foreach (var segment in packet.Data)
        {
            foreach (var b in segment.Span)
            {
                if ((b & 0xC0) != 0x80)
                {
                    units += b >= 0xF0 ? 2 : 1;
                }
            }
        }

        return units;
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteDecimal(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
