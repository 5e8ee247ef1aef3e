using TypedSio.EngineIO;

namespace TypedSio.Client.Transports;

/// <summary>Receives what a transport reads. Calls come from one receive loop at a time, in order.</summary>
internal interface IEngineIOTransportOwner
{
    /// <summary>A packet arrived. Its data is only valid during the call.</summary>
    void OnPacket(EngineIOTransport transport, in EngineIOPacket packet);

    /// <summary>The transport stopped on its own: the server closed it, or an error ended it.</summary>
    void OnTransportClosed(EngineIOTransport transport, string reason, Exception? error);
}

/// <summary>
/// One way of carrying Engine.IO packets. The owner guarantees a single writer; the transport runs a single reader
/// and hands packets to the owner in the order they arrived.
/// </summary>
internal abstract class EngineIOTransport
{
    protected EngineIOTransport(TransportContext context, IEngineIOTransportOwner owner)
    {
        Context = context;
        Owner = owner;
    }

    public abstract EngineIOTransportKind Kind { get; }

    /// <summary>The session id, once the handshake set it; sent with every request.</summary>
    public string? Sid { get; set; }

    protected TransportContext Context { get; }

    protected IEngineIOTransportOwner Owner { get; }

    /// <summary>Connects and starts receiving; the server's packets (the handshake first) go to the owner.</summary>
    public abstract Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Sends packets, in order. Never called concurrently.</summary>
    public abstract Task WriteAsync(IReadOnlyList<EngineIOPacket> packets, CancellationToken cancellationToken);

    /// <summary>Tells the server the session ends, then stops. Never called concurrently with <see cref="WriteAsync"/>.</summary>
    public abstract Task CloseAsync(CancellationToken cancellationToken);

    /// <summary>Stops at once without telling the server. Safe to call from the owner's callbacks and more than once.</summary>
    public abstract void Abort();
}
