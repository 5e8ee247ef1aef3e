using System.Text;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// One Engine.IO message, text or binary, as the application sends or receives it. The engine owns no reference to
/// a received message's buffer after handing it over; a sent message's buffer must not be changed after sending.
/// </summary>
public readonly struct EngineIOMessage
{
    private EngineIOMessage(ReadOnlyMemory<byte> data, bool isBinary)
    {
        Data = data;
        IsBinary = isBinary;
    }

    /// <summary>The message bytes: UTF-8 text, or raw bytes when <see cref="IsBinary"/> is true.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the message is binary.</summary>
    public bool IsBinary { get; }

    /// <summary>Creates a text message from a string.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The message.</returns>
    public static EngineIOMessage Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(Encoding.UTF8.GetBytes(text), isBinary: false);
    }

    /// <summary>Creates a text message from UTF-8 bytes (not validated; the caller vouches they are UTF-8).</summary>
    /// <param name="utf8">The text as UTF-8.</param>
    /// <returns>The message.</returns>
    public static EngineIOMessage Text(ReadOnlyMemory<byte> utf8) => new(utf8, isBinary: false);

    /// <summary>Creates a binary message.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The message.</returns>
    public static EngineIOMessage Binary(ReadOnlyMemory<byte> data) => new(data, isBinary: true);

    /// <summary>Decodes a text message.</summary>
    /// <returns>The text.</returns>
    /// <exception cref="InvalidOperationException">The message is binary.</exception>
    public string GetText() => IsBinary
        ? throw new InvalidOperationException("A binary Engine.IO message has no text.")
        : Encoding.UTF8.GetString(Data.Span);

    /// <inheritdoc />
    public override string ToString() => IsBinary ? $"<{Data.Length} bytes>" : GetText();
}
