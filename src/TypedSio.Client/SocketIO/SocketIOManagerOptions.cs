using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace TypedSio.Client;

/// <summary>How a <see cref="SocketIOManager"/> connects, and how it reconnects after losing the connection.</summary>
public sealed class SocketIOManagerOptions
{
    /// <summary>Whether to reconnect on its own after a failure or a lost connection. Default true.</summary>
    public bool Reconnection { get; set; } = true;

    /// <summary>How many reconnection attempts to make before giving up (<see cref="SocketIOManager.ReconnectFailed"/>). Default unlimited.</summary>
    public int ReconnectionAttempts { get; set; } = int.MaxValue;

    /// <summary>The delay before the first reconnection attempt; it doubles with each attempt. Default 1 s.</summary>
    public TimeSpan ReconnectionDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts. Default 5 s.</summary>
    public TimeSpan ReconnectionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The jitter, between 0 and 1: each delay is moved up or down by up to this fraction of itself, so that many
    /// clients do not reconnect in lockstep after a server restart. Default 0.5.
    /// </summary>
    public double RandomizationFactor { get; set; } = 0.5;

    /// <summary>
    /// How long one connection attempt may take: the Engine.IO handshake, and in <see cref="SocketIOSocket.ConnectAsync"/>
    /// also the namespace's answer. Default 20 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Decides whether a failed attempt is worth repeating. Default: everything but an Engine.IO refusal with code 4
    /// (Forbidden) or 5 (Unsupported protocol version), which a retry would only repeat.
    /// </summary>
    public Func<ConnectErrorException, bool>? ShouldRetry { get; set; }

    /// <summary>The path the server listens on. Default <c>/socket.io/</c>.</summary>
    public string Path { get; set; } = "/socket.io/";

    /// <summary>The transports, in order (the first opens the session, later ones are upgrade targets). Default polling, then WebSocket.</summary>
    public IList<EngineIOTransportKind> Transports { get; } = [EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket];

    /// <summary>Whether to upgrade from polling to WebSocket. Default true.</summary>
    public bool Upgrade { get; set; } = true;

    /// <summary>Query parameters sent with every request (in addition to those in the manager's URI).</summary>
    public IDictionary<string, string> Query { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Headers sent with every HTTP request and the WebSocket upgrade.</summary>
    public IDictionary<string, string> ExtraHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Applied to the Engine.IO options of every connection attempt, after the settings above: TLS, cookies, an HTTP
    /// handler, the protocol version.
    /// </summary>
    public Action<EngineIOClientOptions>? ConfigureEngine { get; set; }

    /// <summary>Serializer options for emitted values that are not plain JSON values (e.g. a source-generated context).</summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>The clock for timeouts, the reconnection schedule and ack timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where log messages go (categories <c>TypedSio.Client.Manager</c>, <c>TypedSio.Client.Socket</c>, and the engine's). Default none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The random source for the jitter (tests pin it); null for <see cref="Random.Shared"/>.</summary>
    internal Func<double>? Random { get; set; }
}

/// <summary>Options of one <see cref="SocketIOSocket"/>.</summary>
public sealed class SocketIOSocketOptions
{
    /// <summary>The auth payload sent with every CONNECT (a JSON object: a dictionary, a JSON node, or a type the serializer options know).</summary>
    public object? Auth { get; set; }

    /// <summary>
    /// Produces the auth payload, called again before every (re)connection, e.g. to refresh a token. Takes precedence
    /// over <see cref="Auth"/>.
    /// </summary>
    public Func<CancellationToken, ValueTask<object?>>? AuthProvider { get; set; }

    /// <summary>The default time to wait for an acknowledgement; null (the default) waits until disconnected.</summary>
    public TimeSpan? AckTimeout { get; set; }

    /// <summary>
    /// How many times an emit is sent again when its acknowledgement does not come within <see cref="AckTimeout"/>.
    /// When above zero, every emit asks the server for an acknowledgement and emits go out one at a time, in order
    /// (at-least-once delivery): each keeps one ack id across its tries, so the acknowledgement of any try completes it,
    /// and a reconnection sends the waiting one again. At most <see cref="MaxBufferedPackets"/> emits wait. Default 0.
    /// </summary>
    public int Retries { get; set; }

    /// <summary>
    /// How many emits may wait while disconnected; one more fails with <see cref="SocketIOBufferFullException"/>.
    /// Default 1000.
    /// </summary>
    public int MaxBufferedPackets { get; set; } = 1000;
}
