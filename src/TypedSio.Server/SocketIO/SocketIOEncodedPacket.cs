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

    public static SocketIOEncodedPacket Encode(SocketIOPacket packet)
    {
        var output = new ArrayBufferWriter<byte>(packet.Payload.Length + 32);
        SocketIOPacketWriter.Write(packet, output);
        var messages = new EngineIOMessage[1 + packet.Attachments.Count];
        messages[0] = EngineIOMessage.Text(output.WrittenMemory);
        long bytes = output.WrittenCount;
        for (var i = 0; i < packet.Attachments.Count; i++)
        {
            messages[i + 1] = EngineIOMessage.Binary(packet.Attachments[i]);
            bytes += packet.Attachments[i].Length;
        }

        return new SocketIOEncodedPacket(messages, bytes);
    }
}
