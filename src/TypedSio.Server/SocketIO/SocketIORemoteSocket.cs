using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>
/// A socket returned by <c>FetchSocketsAsync</c>: its details at the time of the call, and operations that go through the
/// namespace's adapter (so they also work for a socket held by another server of a cluster).
/// </summary>
public sealed class SocketIORemoteSocket
{
    private readonly SocketIONamespace _nsp;

    /// <summary>Creates the view of a socket (adapters call it).</summary>
    /// <param name="nsp">The namespace.</param>
    /// <param name="id">The socket id.</param>
    /// <param name="handshake">The handshake.</param>
    /// <param name="rooms">The rooms it is in.</param>
    /// <param name="data">Its data bag.</param>
    public SocketIORemoteSocket(SocketIONamespace nsp, string id, SocketIOHandshake handshake, IReadOnlySet<string> rooms, IDictionary<string, object?> data)
    {
        ArgumentNullException.ThrowIfNull(nsp);
        _nsp = nsp;
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
    }

    /// <summary>The socket id.</summary>
    public string Id { get; }

    /// <summary>The handshake.</summary>
    public SocketIOHandshake Handshake { get; }

    /// <summary>The rooms it was in.</summary>
    public IReadOnlySet<string> Rooms { get; }

    /// <summary>Its data bag.</summary>
    public IDictionary<string, object?> Data { get; }

    /// <summary>Sends it an event.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task.</returns>
    public Task EmitAsync(string eventName, params object?[] arguments) => _nsp.To(Id).EmitAsync(eventName, arguments);

    /// <summary>Makes it join rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task JoinAsync(params string[] rooms) => _nsp.In(Id).SocketsJoinAsync(rooms);

    /// <summary>Makes it leave rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task LeaveAsync(params string[] rooms) => _nsp.In(Id).SocketsLeaveAsync(rooms);

    /// <summary>Disconnects it.</summary>
    /// <param name="close">Whether to close its whole connection.</param>
    /// <returns>A task.</returns>
    public Task DisconnectAsync(bool close = false) => _nsp.In(Id).DisconnectSocketsAsync(close);
}
