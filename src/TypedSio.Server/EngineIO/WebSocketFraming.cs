using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace TypedSio.Server.EngineIO;

/// <summary>The frame types of RFC 6455 (section 5.2).</summary>
internal enum WebSocketOpcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>Why a client frame is not acceptable; each closes the connection with 1002 (protocol error).</summary>
internal enum WebSocketFrameError
{
    None,
    ReservedBitsSet,
    NotMasked,
    UnknownOpcode,
    FragmentedControlFrame,
    ControlFrameTooLong,
    LengthTooLarge,
}

/// <summary>A parsed frame header: <see cref="HeaderLength"/> bytes on the wire, then <see cref="PayloadLength"/> masked bytes.</summary>
/// <param name="Fin">Whether this frame ends its message.</param>
/// <param name="Opcode">The frame type.</param>
/// <param name="PayloadLength">The payload size.</param>
/// <param name="Mask">The masking key as its four wire bytes read little-endian (the first wire byte is the lowest).</param>
/// <param name="HeaderLength">The header size, masking key included.</param>
internal readonly record struct WebSocketFrameHeader(bool Fin, WebSocketOpcode Opcode, long PayloadLength, uint Mask, int HeaderLength)
{
    public bool IsControl => ((byte)Opcode & 0x8) != 0;
}

/// <summary>
/// The server's side of RFC 6455 framing as a pure codec: client frame headers in, server frame headers out, unmasking,
/// and the opening handshake's key. No I/O here; <see cref="PipeEngineIOWebSocket"/> drives it.
/// </summary>
internal static class WebSocketFraming
{
    /// <summary>The longest server frame header: two bytes and a 64-bit length.</summary>
    public const int MaxServerHeaderLength = 10;

    private const int MaxClientHeaderLength = 14;

    /// <summary>
    /// Reads a client frame's header. False with <see cref="WebSocketFrameError.None"/> means more bytes are needed;
    /// false with an error means the frame breaks the protocol.
    /// </summary>
    public static bool TryReadHeader(in ReadOnlySequence<byte> buffer, out WebSocketFrameHeader header, out WebSocketFrameError error)
    {
        header = default;
        error = WebSocketFrameError.None;
        Span<byte> bytes = stackalloc byte[MaxClientHeaderLength];
        var available = (int)Math.Min(buffer.Length, MaxClientHeaderLength);
        if (available < 2)
        {
            return false;
        }

        buffer.Slice(0, available).CopyTo(bytes);
        var first = bytes[0];
        var second = bytes[1];
        if ((first & 0x70) != 0)
        {
            error = WebSocketFrameError.ReservedBitsSet; // no extension is negotiated on this path
            return false;
        }

        var opcode = (WebSocketOpcode)(first & 0x0F);
        if (opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
            or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
        {
            error = WebSocketFrameError.UnknownOpcode;
            return false;
        }

        if ((second & 0x80) == 0)
        {
            error = WebSocketFrameError.NotMasked;
            return false;
        }

        var fin = (first & 0x80) != 0;
        long length = second & 0x7F;
        var lengthBytes = length switch
        {
            126 => 2,
            127 => 8,
            _ => 0,
        };
        var headerLength = 2 + lengthBytes + 4;
        var isControl = ((byte)opcode & 0x8) != 0;
        if (isControl && !fin)
        {
            error = WebSocketFrameError.FragmentedControlFrame;
            return false;
        }

        if (isControl && lengthBytes != 0)
        {
            error = WebSocketFrameError.ControlFrameTooLong;
            return false;
        }

        if (available < headerLength)
        {
            return false;
        }

        if (lengthBytes == 2)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        }
        else if (lengthBytes == 8)
        {
            var wide = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (wide > long.MaxValue)
            {
                error = WebSocketFrameError.LengthTooLarge; // the most significant bit must be 0
                return false;
            }

            length = (long)wide;
        }

        var mask = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(2 + lengthBytes)..]);
        header = new WebSocketFrameHeader(fin, opcode, length, mask, headerLength);
        return true;
    }

    /// <summary>
    /// Unmasks payload bytes in place. <paramref name="offset"/> is how many bytes of the same frame's payload came
    /// before these (the key repeats every four bytes).
    /// </summary>
    public static void Unmask(Span<byte> data, uint mask, long offset)
    {
        var rotated = BitOperations.RotateRight(mask, (int)(offset & 3) * 8);
        var i = 0;
        if (BitConverter.IsLittleEndian && data.Length >= sizeof(ulong))
        {
            var wide = rotated | ((ulong)rotated << 32);
            var words = MemoryMarshal.Cast<byte, ulong>(data);
            for (var w = 0; w < words.Length; w++)
            {
                words[w] ^= wide;
            }

            i = words.Length * sizeof(ulong);
        }

        for (var shift = 0; i < data.Length; i++, shift = (shift + 8) & 31)
        {
            data[i] ^= (byte)(rotated >> shift);
        }
    }

    /// <summary>The size of the header <see cref="WriteHeader"/> writes for a payload.</summary>
    public static int GetHeaderLength(long payloadLength) => payloadLength switch
    {
        <= 125 => 2,
        <= ushort.MaxValue => 4,
        _ => 10,
    };

    /// <summary>Writes an unmasked, final server frame header; <paramref name="destination"/> holds at least <see cref="MaxServerHeaderLength"/> bytes.</summary>
    /// <returns>The header size.</returns>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, long payloadLength)
    {
        destination[0] = (byte)(0x80 | (byte)opcode);
        if (payloadLength <= 125)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>Whether a <c>Sec-WebSocket-Key</c> is what RFC 6455 asks for: 16 bytes in base64.</summary>
    public static bool IsValidKey(ReadOnlySpan<char> key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64Chars(key, decoded, out var written) && written == 16;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> answer to a valid key.</summary>
    public static string ComputeAcceptKey(ReadOnlySpan<char> key)
    {
        // RFC 6455 section 4.2.2: SHA-1 of the key followed by this fixed GUID, in base64.
        const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
        Span<byte> input = stackalloc byte[24 + Guid.Length];
        var written = Encoding.ASCII.GetBytes(key, input);
        written += Encoding.ASCII.GetBytes(Guid, input[written..]);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // the protocol fixes SHA-1 here; it protects nothing, it only proves the server speaks WebSocket
        SHA1.HashData(input[..written], hash);
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }
}
