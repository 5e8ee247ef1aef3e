namespace TypedSio.SocketIO;

/// <summary>Which rule of the Socket.IO v5 encoding an input broke.</summary>
public enum SocketIOParseErrorKind
{
    /// <summary>The first character is not a packet type 0–6.</summary>
    UnknownPacketType,

    /// <summary>A binary packet whose attachment count is missing, not a positive integer, or not followed by <c>-</c>.</summary>
    IllegalAttachments,

    /// <summary>A binary packet announcing more attachments than the configured limit.</summary>
    TooManyAttachments,

    /// <summary>The payload is not valid JSON.</summary>
    InvalidJson,

    /// <summary>The payload is valid JSON of the wrong shape for the packet type (e.g. an event that is not an array).</summary>
    InvalidPayload,

    /// <summary>An event named with one of the reserved names (connect, connect_error, disconnect, disconnecting, newListener, removeListener).</summary>
    ReservedEventName,

    /// <summary>An ack id that is not a safe integer (the reference would read it as NaN or lose precision).</summary>
    InvalidAckId,

    /// <summary>The text is not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>The packet is larger than the configured limit.</summary>
    PacketTooLarge,

    /// <summary>A text packet arrived while the attachments of a binary packet were still expected.</summary>
    UnexpectedText,

    /// <summary>A binary message arrived when no binary packet was waiting for attachments.</summary>
    UnexpectedBinary,

    /// <summary>A placeholder refers to an attachment that does not exist.</summary>
    InvalidPlaceholder,
}

/// <summary>A typed Socket.IO parse failure: which rule was broken and where.</summary>
/// <param name="Kind">The rule that was broken.</param>
/// <param name="Position">The byte offset in the packet text at which the problem was found (0 for binary messages).</param>
public readonly record struct SocketIOParseError(SocketIOParseErrorKind Kind, long Position)
{
    /// <summary>A sentence describing the problem.</summary>
    public string Message => Kind switch
    {
        SocketIOParseErrorKind.UnknownPacketType => "Unknown Socket.IO packet type: the first character must be 0-6.",
        SocketIOParseErrorKind.IllegalAttachments => $"Illegal attachment count at byte {Position}: expected a positive integer followed by '-'.",
        SocketIOParseErrorKind.TooManyAttachments => $"Too many attachments (at byte {Position}).",
        SocketIOParseErrorKind.InvalidJson => $"The packet payload is not valid JSON (at byte {Position}).",
        SocketIOParseErrorKind.InvalidPayload => $"The packet payload has the wrong shape for its type (at byte {Position}).",
        SocketIOParseErrorKind.ReservedEventName => $"The event name is reserved (at byte {Position}).",
        SocketIOParseErrorKind.InvalidAckId => $"The ack id at byte {Position} is not a safe integer.",
        SocketIOParseErrorKind.InvalidUtf8 => $"The packet is not valid UTF-8 (byte {Position}).",
        SocketIOParseErrorKind.PacketTooLarge => $"The packet exceeds the configured maximum size (at byte {Position}).",
        SocketIOParseErrorKind.UnexpectedText => "A text packet arrived while binary attachments were still expected.",
        SocketIOParseErrorKind.UnexpectedBinary => "A binary message arrived when no binary packet expected attachments.",
        SocketIOParseErrorKind.InvalidPlaceholder => "An attachment placeholder refers to an attachment that does not exist.",
        _ => $"Socket.IO parse error {Kind} at byte {Position}.",
    };

    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>Thrown where an API cannot return a <see cref="SocketIOParseError"/> directly.</summary>
public sealed class SocketIOParseException : FormatException
{
    /// <summary>Creates the exception for a parse error.</summary>
    /// <param name="error">The parse error.</param>
    public SocketIOParseException(SocketIOParseError error)
        : base(error.Message) => Error = error;

    /// <summary>The parse error.</summary>
    public SocketIOParseError Error { get; }
}

/// <summary>Limits applied while decoding Socket.IO packets.</summary>
public sealed record SocketIOParserOptions
{
    /// <summary>The shared default options.</summary>
    public static SocketIOParserOptions Default { get; } = new();

    /// <summary>The most attachments one binary packet may announce (the reference's default is 10).</summary>
    public int MaxAttachments { get; init; } = 10;

    /// <summary>The largest packet text accepted, in bytes.</summary>
    public long MaxPacketSize { get; init; } = 100 * 1024 * 1024;

    /// <summary>The deepest JSON nesting accepted in a payload.</summary>
    public int MaxDepth { get; init; } = 1000;
}
