using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// One Engine.IO session as the application sees it: messages in, messages out, and one close with a reason. The
/// transport (long-polling or WebSocket, and the upgrade between them) is hidden.
/// </summary>
public interface IEngineIOConnection
{
    /// <summary>The session id (<c>sid</c>).</summary>
    string Id { get; }

    /// <summary>The current transport name, <c>polling</c> or <c>websocket</c>; it changes once when the client upgrades.</summary>
    string Transport { get; }

    /// <summary>The protocol revision the client speaks.</summary>
    EngineIOProtocolVersion Protocol { get; }

    /// <summary>The handshake request.</summary>
    EngineIORequestInfo Request { get; }

    /// <summary>Cancelled when the connection closes.</summary>
    CancellationToken ConnectionClosed { get; }

    /// <summary>Completes with the reason once the connection has closed.</summary>
    Task<EngineIOCloseReason> Closed { get; }

    /// <summary>
    /// Reads the received messages in order. The sequence ends when the connection closes (then <see cref="Closed"/>
    /// holds the reason). Only one reader at a time.
    /// </summary>
    /// <param name="cancellationToken">Stops reading (the connection stays open).</param>
    /// <returns>The messages.</returns>
    IAsyncEnumerable<EngineIOMessage> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a message for the client. It returns once queued, not once delivered. Messages sent after close are dropped;
    /// a full outbound queue closes the connection with <see cref="EngineIOCloseReason.SlowConsumer"/>.
    /// </summary>
    /// <param name="message">The message; its buffer must not change afterwards.</param>
    /// <param name="cancellationToken">Reserved for flow control.</param>
    /// <returns>True when queued, false when the connection is closed or has just been closed for a full queue.</returns>
    ValueTask<bool> SendAsync(EngineIOMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes the connection with <see cref="EngineIOCloseReason.ForcedClose"/> after the queued messages are delivered
    /// (over polling they go out with the <c>close</c> packet on the next poll).
    /// </summary>
    /// <returns>Completes when the connection is closed.</returns>
    Task CloseAsync();
}
