using Microsoft.AspNetCore.Connections;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

// The connection-level WebSocket path (EngineIOConnectionMiddleware): only requests the HTTP path would accept as they
// are, with nothing of ASP.NET Core consulted, are taken here. Everything else (refusals with their error codes and
// ConnectionError events, allowRequest, a GenerateId that reads the request, deflate, EIO=3, endpoints with conventions)
// stays with the HTTP path, so behaviour does not depend on which path a connection took.
public sealed partial class EngineIOServer
{
    private int _connectionLevelSockets;

    /// <summary>How many WebSockets the connection-level path has taken (tests tell the two paths apart by it).</summary>
    internal int ConnectionLevelSockets => Volatile.Read(ref _connectionLevelSockets);

    /// <summary>
    /// Takes a WebSocket request for the connection-level path: a new session (not yet started), or the open session a
    /// polling client upgrades; null leaves the request to the HTTP path.
    /// </summary>
    internal EngineIOSession? TryTakeConnection(EngineIOUpgradeRequest request, ConnectionContext connection, out bool isNew)
    {
        isNew = false;
        if (HasEndpointConventions || Options.AllowRequest is not null || Options.GenerateId is not null
            || (Options.PerMessageDeflate is not null && request.OffersDeflate)
            || !IsOffered(EngineIOTransportNames.WebSocket)
            || !request.Query.TryGetValue("transport", out var transport) || transport != EngineIOTransportNames.WebSocket
            || !request.Query.TryGetValue("EIO", out var eio) || eio != "4"
            || request.Query.ContainsKey("b64"))
        {
            return null;
        }

        if (!request.Query.TryGetValue("sid", out var sid))
        {
            var info = EngineIOConnectionMiddleware.DescribeRequest(request, connection);
            isNew = true;
            Interlocked.Increment(ref _connectionLevelSockets);
            return CreateSession(GenerateId(), EngineIOTransportNames.WebSocket, EngineIOProtocolVersion.V4, info, supportsBinary: true);
        }

        if (sid.Count != 1 || !_sessions.TryGetValue(sid.ToString(), out var session) || !session.IsAlive
            || session.Protocol != EngineIOProtocolVersion.V4)
        {
            return null;
        }

        Interlocked.Increment(ref _connectionLevelSockets);
        return session;
    }

    /// <summary>Runs a socket the connection-level path accepted, until it closes.</summary>
    internal Task RunAcceptedWebSocketAsync(EngineIOWebSocket socket, EngineIOSession session, bool isNew)
    {
        if (!isNew)
        {
            return RunUpgradeCandidateAsync(socket, session, EngineIOTransportNames.WebSocket);
        }

        // A new session: the 101 answer waits in the pipe and goes out with the open packet. (Not an async method: one
        // state machine fewer held by every connection.)
        session.AttachWebSocket(socket);
        StartSession(session);
        return session.RunWebSocketAsync(socket, isCandidate: false);
    }
}
