using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>Client WebSocket frames, encoded once up front so the load tool spends no time per message on framing.</summary>
internal static class Frames
{
    /// <summary>One masked text frame. The mask key is zero, which RFC 6455 allows and which leaves the payload as is.</summary>
    public static byte[] Text(string payload) => Text(Encoding.UTF8.GetBytes(payload));

    public static byte[] Text(ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + 4 + payload.Length];
        frame[0] = 0x81; // FIN + text
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            frame[2] = (byte)(payload.Length >> 8);
            frame[3] = (byte)payload.Length;
        }
        else
        {
            frame[1] = 0x80 | 127;
            for (var i = 0; i < 8; i++)
            {
                frame[2 + i] = (byte)((long)payload.Length >> (56 - (8 * i)));
            }
        }

        // Mask key bytes stay zero.
        payload.CopyTo(frame.AsSpan(header + 4));
        return frame;
    }

    /// <summary>The same frame repeated: several messages in one send.</summary>
    public static byte[] Repeat(byte[] frame, int count)
    {
        var batch = new byte[frame.Length * count];
        for (var i = 0; i < count; i++)
        {
            frame.CopyTo(batch, i * frame.Length);
        }

        return batch;
    }

    /// <summary>A unmasked server-to-client text frame (the calibration echo's open packet).</summary>
    public static byte[] ServerText(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[2 + bytes.Length];
        frame[0] = 0x81;
        frame[1] = (byte)bytes.Length;
        bytes.CopyTo(frame, 2);
        return frame;
    }
}
