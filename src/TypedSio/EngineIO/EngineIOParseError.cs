namespace TypedSio.EngineIO;

/// <summary>Which rule of the Engine.IO framing an input broke.</summary>
public enum EngineIOParseErrorKind
{
    /// <summary>A packet with no type character (an empty frame or an empty record in a payload).</summary>
    EmptyPacket,

    /// <summary>The type character is not one of <c>0</c>–<c>6</c> (or <c>b</c> for base64 binary).</summary>
    UnknownPacketType,

    /// <summary>Text that is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The input is larger than the configured limit.</summary>
    PayloadTooLarge,

    /// <summary>An Engine.IO v3 length prefix that is missing, not a number, or does not match the packet that follows.</summary>
    InvalidLength,

    /// <summary>An Engine.IO v3 binary payload that ends in the middle of a packet header.</summary>
    Truncated,

    /// <summary>A payload holding more packets than the configured limit.</summary>
    TooManyPackets,
}

/// <summary>A typed Engine.IO parse failure: which rule was broken and where.</summary>
/// <param name="Kind">The rule that was broken.</param>
/// <param name="Position">The byte offset in the input at which the problem was found.</param>
public readonly record struct EngineIOParseError(EngineIOParseErrorKind Kind, long Position)
{
    /// <summary>A sentence describing the problem.</summary>
    public string Message => Kind switch
    {
        EngineIOParseErrorKind.EmptyPacket => $"Empty Engine.IO packet at byte {Position}: every packet starts with a type character.",
        EngineIOParseErrorKind.UnknownPacketType => $"Unknown Engine.IO packet type at byte {Position}: expected 0-6 or 'b'.",
        EngineIOParseErrorKind.InvalidUtf8 => $"Engine.IO text packet is not valid UTF-8 (byte {Position}).",
        EngineIOParseErrorKind.PayloadTooLarge => $"Engine.IO payload exceeds the configured maximum (at byte {Position}).",
        EngineIOParseErrorKind.InvalidLength => $"Invalid Engine.IO v3 length prefix at byte {Position}.",
        EngineIOParseErrorKind.Truncated => $"Engine.IO v3 binary payload is truncated at byte {Position}.",
        EngineIOParseErrorKind.TooManyPackets => $"Engine.IO payload holds more packets than allowed (at byte {Position}).",
        _ => $"Engine.IO parse error {Kind} at byte {Position}.",
    };

    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>Thrown where an API cannot return an <see cref="EngineIOParseError"/> directly.</summary>
public sealed class EngineIOParseException : FormatException
{
    /// <summary>Creates the exception for a parse error.</summary>
    /// <param name="error">The parse error.</param>
    public EngineIOParseException(EngineIOParseError error)
        : base(error.Message) => Error = error;

    /// <summary>The parse error.</summary>
    public EngineIOParseError Error { get; }
}
