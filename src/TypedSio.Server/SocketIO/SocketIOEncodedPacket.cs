using System.Buffers;
using TypedSio.Server.EngineIO;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>A packet encoded once into the Engine.IO messages that carry it (text part, then attachments).</summary>
internal sealed class SocketIOEncodedPacket
{
    private SocketIOEncodedPacket(EngineIOMessage[] messages, long bytes)
    {
        Messages = messages;
        Bytes = bytes;
    }

    public EngineIOMessage[] Messages { get; }

    public long Bytes { get; }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_output;

    public static SocketIOEncodedPacket Encode(SocketIOPacket packet)
    {
        // Written into a per-thread scratch buffer and copied out at its exact size: one allocation per packet.
        var output = t_output ??= new ArrayBufferWriter<byte>(512);
        output.ResetWrittenCount();
        SocketIOPacketWriter.Write(packet, output);
        var text = output.WrittenSpan.ToArray();
        if (output.Capacity > 64 * 1024)
        {
            t_output = null;
        }

        var messages = new EngineIOMessage[1 + packet.Attachments.Count];
        messages[0] = EngineIOMessage.Text(text);
        long bytes = text.Length;
        for (var i = 0; i < packet.Attachments.Count; i++)
        {
            messages[i + 1] = EngineIOMessage.Binary(packet.Attachments[i]);
            bytes += packet.Attachments[i].Length;
        }

        return new SocketIOEncodedPacket(messages, bytes);
    }
}
