using System.Text;

namespace TypedSio.Client;

/// <summary>The state of an <see cref="EngineIOClient"/>.</summary>
public enum EngineIOReadyState
{
    /// <summary>Created; <see cref="EngineIOClient.OpenAsync"/> not called yet.</summary>
    Initial,

    /// <summary>The handshake is in progress.</summary>
    Opening,

    /// <summary>The session is open.</summary>
    Open,

    /// <summary><see cref="EngineIOClient.CloseAsync"/> is in progress.</summary>
    Closing,

    /// <summary>The session is closed (or never opened); the client cannot be reopened.</summary>
    Closed,
}

/// <summary>A message received from the server.</summary>
public sealed class EngineIOMessageEventArgs : EventArgs
{
    private string? _text;

    internal EngineIOMessageEventArgs(byte[] data, bool isBinary)
    {
        Data = data;
        IsBinary = isBinary;
    }

    /// <summary>Whether the message is binary.</summary>
    public bool IsBinary { get; }

    /// <summary>The message: raw bytes when binary, UTF-8 when text. Owned by the receiver.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The text of a text message; null for a binary one.</summary>
    public string? Text => IsBinary ? null : _text ??= Encoding.UTF8.GetString(Data.Span);
}

/// <summary>Why the session closed.</summary>
public sealed class EngineIOClosedEventArgs : EventArgs
{
    internal EngineIOClosedEventArgs(string reason, Exception? exception)
    {
        Reason = reason;
        Exception = exception;
    }

    /// <summary>
    /// The reason, as the JavaScript client names it: <c>forced close</c> (closed by this side), <c>transport close</c>
    /// (the server closed it), <c>transport error</c> (see <see cref="Exception"/>), <c>ping timeout</c>, <c>parse error</c>.
    /// </summary>
    public string Reason { get; }

    /// <summary>The error that closed the session, if any (often a <see cref="ConnectErrorException"/> subtype).</summary>
    public Exception? Exception { get; }
}
