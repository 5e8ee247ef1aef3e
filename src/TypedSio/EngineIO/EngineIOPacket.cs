using System.Buffers;
using System.Text;

namespace TypedSio.EngineIO;

/// <summary>
/// One Engine.IO packet: a type and its data. Text data is UTF-8; binary data is raw bytes (binary packets are always
/// messages in v4). A decoded packet's <see cref="Data"/> may slice the buffer it was decoded from, so it is valid only
/// as long as that buffer is.
/// </summary>
public readonly struct EngineIOPacket : IEquatable<EngineIOPacket>
{
    /// <summary>Creates a packet.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="data">The data: UTF-8 text, or raw bytes when <paramref name="isBinary"/> is true.</param>
    /// <param name="isBinary">Whether the data is binary.</param>
    public EngineIOPacket(EngineIOPacketType type, ReadOnlySequence<byte> data, bool isBinary)
    {
        Type = type;
        Data = data;
        IsBinary = isBinary;
    }

    /// <summary>The packet type.</summary>
    public EngineIOPacketType Type { get; }

    /// <summary>The packet data: UTF-8 text for text packets, raw bytes for binary ones. Empty when there is none.</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>Whether <see cref="Data"/> is binary.</summary>
    public bool IsBinary { get; }

    /// <summary>The <c>2probe</c> packet a client sends on a new WebSocket before upgrading.</summary>
    public static EngineIOPacket PingProbe { get; } = Text(EngineIOPacketType.Ping, "probe");

    /// <summary>The <c>3probe</c> packet a server answers the probe with.</summary>
    public static EngineIOPacket PongProbe { get; } = Text(EngineIOPacketType.Pong, "probe");

    /// <summary>Whether this is a <c>2probe</c> or <c>3probe</c> packet.</summary>
    public bool IsProbe => !IsBinary && Type is EngineIOPacketType.Ping or EngineIOPacketType.Pong && DataEquals("probe"u8);

    /// <summary>Creates a text packet from a string.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="text">The text, or null for none.</param>
    public static EngineIOPacket Text(EngineIOPacketType type, string? text = null) =>
        new(type, text is null ? default : new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), isBinary: false);

    /// <summary>Creates a text packet from UTF-8 bytes.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="utf8Text">The text as UTF-8.</param>
    public static EngineIOPacket Text(EngineIOPacketType type, ReadOnlyMemory<byte> utf8Text) =>
        new(type, new ReadOnlySequence<byte>(utf8Text), isBinary: false);

    /// <summary>Creates a binary message packet.</summary>
    /// <param name="data">The bytes.</param>
    public static EngineIOPacket Binary(ReadOnlyMemory<byte> data) =>
        new(EngineIOPacketType.Message, new ReadOnlySequence<byte>(data), isBinary: true);

    /// <summary>Reads the data as a string (decoding UTF-8 text; binary data is not text and throws).</summary>
    /// <returns>The text.</returns>
    /// <exception cref="InvalidOperationException">The packet is binary.</exception>
    public string GetText()
    {
        if (IsBinary)
        {
            throw new InvalidOperationException("A binary Engine.IO packet has no text.");
        }

        return Encoding.UTF8.GetString(Data);
    }

    /// <summary>Whether the data equals the given bytes.</summary>
    /// <param name="other">The bytes to compare with.</param>
    /// <returns>True when equal.</returns>
    public bool DataEquals(ReadOnlySpan<byte> other)
    {
        if (Data.Length != other.Length)
        {
            return false;
        }

        if (Data.IsSingleSegment)
        {
            return Data.FirstSpan.SequenceEqual(other);
        }

        var offset = 0;
        foreach (var segment in Data)
        {
            if (!segment.Span.SequenceEqual(other.Slice(offset, segment.Length)))
            {
                return false;
            }

            offset += segment.Length;
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(EngineIOPacket other) =>
        Type == other.Type && IsBinary == other.IsBinary && other.DataEquals(Data.IsSingleSegment ? Data.FirstSpan : Data.ToArray());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EngineIOPacket other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Type, IsBinary, Data.Length);

    /// <summary>Compares two packets by type, kind and data.</summary>
    /// <param name="left">The first packet.</param>
    /// <param name="right">The second packet.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(EngineIOPacket left, EngineIOPacket right) => left.Equals(right);

    /// <summary>Compares two packets by type, kind and data.</summary>
    /// <param name="left">The first packet.</param>
    /// <param name="right">The second packet.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(EngineIOPacket left, EngineIOPacket right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() =>
        IsBinary ? $"{Type} <{Data.Length} bytes>" : $"{Type} \"{Encoding.UTF8.GetString(Data)}\"";
}
