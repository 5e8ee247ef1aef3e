using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// An Engine.IO server mapped at one path: it owns the sessions opened there. Obtain it from
/// <see cref="EngineIOEndpointConventionBuilder.Server"/>.
/// </summary>
public sealed partial class EngineIOServer : IDisposable
{
    private readonly ConcurrentDictionary<string, EngineIOSession> _sessions = new(StringComparer.Ordinal);

    // Every poll and POST finds its session by the sid in the query, without making a string of it.
    private readonly ConcurrentDictionary<string, EngineIOSession>.AlternateLookup<ReadOnlySpan<char>> _sessionsBySpan;
    private readonly Func<IEngineIOConnection, Task> _onConnection;
    private readonly CancellationTokenRegistration _stopping;

    internal EngineIOServer(
        EngineIOServerOptions options,
        Func<IEngineIOConnection, Task> onConnection,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        IMeterFactory? meterFactory,
        IHostApplicationLifetime? lifetime)
    {
        Options = options;
        _onConnection = onConnection;
        _sessionsBySpan = _sessions.GetAlternateLookup<ReadOnlySpan<char>>();
        Logger = (ILogger?)loggerFactory?.CreateLogger("TypedSio.Engine") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        TimeProvider = options.TimeProvider ?? timeProvider ?? TimeProvider.System;
        Metrics = new EngineIOMetrics(meterFactory);

        // Held polls would otherwise keep the host waiting for its shutdown timeout.
        _stopping = lifetime?.ApplicationStopping.Register(static s => ((EngineIOServer)s!).CloseAll(), this) ?? default;
    }

    /// <summary>Raised for every request refused with an Engine.IO error code (the reference's <c>connection_error</c>).</summary>
    public event EventHandler<EngineIOConnectionErrorEventArgs>? ConnectionError;

    /// <summary>The settings this server runs with.</summary>
    public EngineIOServerOptions Options { get; }

    /// <summary>The number of open sessions.</summary>
    public int ClientsCount => _sessions.Count;

    /// <summary>The open sessions.</summary>
    public IReadOnlyCollection<IEngineIOConnection> Connections => _sessions.Values.ToArray();

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    /// <summary>Whether the application added endpoint conventions (which the connection-level path would skip).</summary>
    internal bool HasEndpointConventions { get; set; }

    internal EngineIOMetrics Metrics { get; }

    /// <summary>Finds an open session by id.</summary>
    /// <param name="id">The session id.</param>
    /// <returns>The session, or null.</returns>
    public IEngineIOConnection? GetConnection(string id) => _sessions.TryGetValue(id, out var session) ? session : null;

    /// <summary>Closes every session at once with <see cref="EngineIOCloseReason.ForcedClose"/>.</summary>
    public void CloseAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.Close(EngineIOCloseReason.ForcedClose);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        CloseAll();
        Metrics.Dispose();
    }

    internal void Remove(EngineIOSession session)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, EngineIOSession>(session.Id, session)))
        {
            Metrics.Closed();
        }
    }

    /// <summary>Handles one HTTP request (or WebSocket upgrade) to the Engine.IO path.</summary>
    internal async Task HandleRequestAsync(HttpContext context)
    {
        if (Options.Cors is { } cors && EngineIOCors.Apply(context, cors))
        {
            return; // a preflight, answered
        }

        var request = context.Request;
        var isWebSocket = context.WebSockets.IsWebSocketRequest;
        var query = EngineIOQuery.Read(request);
        var transport = query.Transport;
        if (!IsOffered(transport))
        {
            await RefuseAsync(context, EngineIOErrorCode.TransportUnknown, isWebSocket, "transport: " + transport);
            return;
        }

        var protocol = query.IsV4 ? EngineIOProtocolVersion.V4 : EngineIOProtocolVersion.V3;
        if (query.Sid.Length > 0)
        {
            if (!_sessionsBySpan.TryGetValue(query.Sid.Span, out var session) || !session.IsAlive)
            {
                await RefuseAsync(context, EngineIOErrorCode.SessionIdUnknown, isWebSocket, "sid: " + query.Sid);
                return;
            }

            if (!isWebSocket && session.Transport != transport)
            {
                await RefuseAsync(context, EngineIOErrorCode.BadRequest, isWebSocket, "TRANSPORT_MISMATCH");
                return;
            }

            if (session.Protocol != protocol)
            {
                await RefuseAsync(context, EngineIOErrorCode.BadRequest, isWebSocket, "PROTOCOL_MISMATCH");
                return;
            }

            if (isWebSocket)
            {
                await HandleUpgradeAsync(context, session, transport);
            }
            else
            {
                await HandlePollingRequestAsync(context, session);
            }

            return;
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            await RefuseAsync(context, EngineIOErrorCode.BadHandshakeMethod, isWebSocket, "method: " + request.Method);
            return;
        }

        if (transport == EngineIOTransportNames.WebSocket != isWebSocket)
        {
            await RefuseAsync(context, EngineIOErrorCode.BadRequest, isWebSocket, "TRANSPORT_HANDSHAKE_ERROR");
            return;
        }

        if (Options.AllowRequest is { } allowRequest)
        {
            var (allowed, message) = await allowRequest(context);
            if (!allowed)
            {
                await RefuseAsync(context, EngineIOErrorCode.Forbidden, isWebSocket, null, message);
                return;
            }
        }

        if (protocol == EngineIOProtocolVersion.V3 && !Options.AllowEIO3)
        {
            await RefuseAsync(context, EngineIOErrorCode.UnsupportedProtocolVersion, isWebSocket, "protocol: 3");
            return;
        }

        if (isWebSocket)
        {
            await HandleWebSocketHandshakeAsync(context, protocol);
        }
        else
        {
            await HandlePollingHandshakeAsync(context, protocol);
        }
    }

    private bool IsOffered(string transport) =>
        transport is EngineIOTransportNames.Polling or EngineIOTransportNames.WebSocket && Options.Transports.Contains(transport);

    private EngineIOSession CreateSession(HttpContext context, string transport, EngineIOProtocolVersion protocol) =>
        CreateSession(
            Options.GenerateId?.Invoke(context) ?? GenerateId(),
            transport,
            protocol,
            new EngineIORequestInfo(context),
            supportsBinary: !context.Request.Query.ContainsKey("b64"));

    private EngineIOSession CreateSession(string id, string transport, EngineIOProtocolVersion protocol, EngineIORequestInfo request, bool supportsBinary)
    {
        var session = new EngineIOSession(this, id, transport, protocol, request, supportsBinary);
        if (!_sessions.TryAdd(session.Id, session))
        {
            throw new InvalidOperationException($"GenerateId returned '{session.Id}', the id of an open session.");
        }

        Metrics.Opened();
        Log.Handshake(Logger, session.Id, transport, (int)protocol);
        return session;
    }

    private void StartSession(EngineIOSession session)
    {
        session.Start();
        _ = RunHandlerAsync(session);
    }

    private async Task RunHandlerAsync(EngineIOSession session)
    {
        try
        {
            await Task.Yield();
            await _onConnection(session);
        }
        catch (Exception e)
        {
            Log.HandlerFailed(Logger, session.Id, e);
        }

        // Like an ASP.NET Core connection handler: when the application is done with a connection, so is the server.
        await session.CloseAsync();
    }

    private static string GenerateId()
    {
        // 15 random bytes, URL-safe base64: 20 characters, as the reference's ids.
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('/', '_').Replace('+', '-');
    }
}
