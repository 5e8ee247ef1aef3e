using TypedSio.Server.EngineIO;
using TypedSio.Server.SocketIO;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>
/// Tests that run twice: as they are, and in a subclass whose servers serve WebSockets below ASP.NET Core
/// (<c>UseEngineIOWebSockets</c>).
/// </summary>
public abstract class SocketIOServerTestBase
{
    /// <summary>Whether the servers of these tests serve WebSockets below ASP.NET Core.</summary>
    protected virtual bool ConnectionLevel => false;

    private protected Task<SocketIOTestServer> StartServerAsync(
        Action<SocketIOEndpointBuilder>? namespaces = null,
        Action<SocketIOServerOptions>? configure = null,
        Action<EngineIOServerOptions>? engine = null,
        TimeProvider? time = null) =>
        SocketIOTestServer.StartAsync(namespaces, configure, engine, time, connectionLevel: ConnectionLevel);
}
