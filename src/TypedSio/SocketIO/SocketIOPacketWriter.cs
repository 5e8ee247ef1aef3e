using System.Buffers;
using System.Globalization;
using System.Text;

namespace TypedSio.SocketIO;

/// <summary>Writes the text part of Socket.IO packets; attachments follow it as binary Engine.IO messages.</summary>
public static class SocketIOPacketWriter
{
    /// <summary>
    /// Writes <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;payload&gt;]</c>, the namespace only
    /// when it is not <c>/</c>.
    /// </summary>
    /// <param name="packet">The packet.</param>
    /// <param name="output">Where to write.</param>
    public static void Write(SocketIOPacket packet, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(output);
        var header = output.GetSpan(48);
        header[0] = (byte)('0' + (int)packet.Type);
        var length = 1;
        if (packet.Type is SocketIOPacketType.BinaryEvent or SocketIOPacketType.BinaryAck)
        {
            packet.Attachments.Count.TryFormat(header[length..], out var written, default, CultureInfo.InvariantCulture);
            length += written;
            header[length++] = (byte)'-';
        }

        output.Advance(length);
        if (packet.Namespace.Length > 0 && packet.Namespace != "/")
        {
            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(packet.Namespace.Length) + 1);
            var written = Encoding.UTF8.GetBytes(packet.Namespace, span);
            span[written] = (byte)',';
            output.Advance(written + 1);
        }

        if (packet.AckId is { } id)
        {
            var span = output.GetSpan(20);
            id.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
        }

        output.Write(packet.Payload.Span);
    }

    /// <summary>The encoded text of a packet, as a string.</summary>
    /// <param name="packet">The packet.</param>
    /// <returns>The text part.</returns>
    public static string WriteToString(SocketIOPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        Write(packet, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
