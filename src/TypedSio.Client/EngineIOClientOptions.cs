using System.Net;
using Microsoft.Extensions.Logging;
using TypedSio.EngineIO;

namespace TypedSio.Client;

/// <summary>The transports an Engine.IO client can use.</summary>
public enum EngineIOTransportKind
{
    /// <summary>HTTP long-polling: a pending GET receives, POSTs send.</summary>
    Polling,

    /// <summary>One WebSocket carrying every packet as a frame.</summary>
    WebSocket,
}

/// <summary>Where and how an <see cref="EngineIOClient"/> connects.</summary>
public sealed class EngineIOClientOptions
{
    /// <summary>Creates options for a server.</summary>
    /// <param name="uri">The server's address: <c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c>, e.g. <c>http://localhost:3000</c>.</param>
    /// <exception cref="ArgumentException">The address is relative or has another scheme.</exception>
    public EngineIOClientOptions(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException($"The server address must be an absolute http, https, ws or wss URI, not '{uri}'.", nameof(uri));
        }

        Uri = uri;
    }

    /// <summary>The server's address. Its query is sent with every request; its path is ignored (see <see cref="Path"/>).</summary>
    public Uri Uri { get; }

    /// <summary>The path the server listens on. Default <c>/socket.io/</c>; an <c>engine.io</c> server alone usually uses <c>/engine.io/</c>.</summary>
    public string Path { get; set; } = "/socket.io/";

    /// <summary>
    /// The transports to use, in order: the first one opens the session; later ones are upgrade targets. Default:
    /// polling, then WebSocket. Only WebSocket: connect with a WebSocket directly. Only polling: never upgrade.
    /// </summary>
    public IList<EngineIOTransportKind> Transports { get; } = [EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket];

    /// <summary>
    /// Whether a failure to open with one transport moves on to the next in <see cref="Transports"/> (e.g. a WebSocket
    /// blocked by a proxy, then polling) instead of failing. Default false, as in the reference client.
    /// </summary>
    public bool TryAllTransports { get; set; }

    /// <summary>Whether to upgrade from polling to WebSocket when the server offers it. Default true.</summary>
    public bool Upgrade { get; set; } = true;

    /// <summary>Extra query parameters sent with every request.</summary>
    public IDictionary<string, string> Query { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Extra headers sent with every HTTP request and the WebSocket upgrade request.</summary>
    public IDictionary<string, string> ExtraHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Cookies sent and stored across requests (needed behind load balancers that pin sessions with a cookie). Null
    /// (the default) sends no cookies.
    /// </summary>
    public CookieContainer? Cookies { get; set; }

    /// <summary>The Engine.IO revision to speak. Default v4; v3 only for servers of Socket.IO v2.</summary>
    public EngineIOProtocolVersion ProtocolVersion { get; set; } = EngineIOProtocolVersion.V4;

    /// <summary>How long <see cref="EngineIOClient.OpenAsync"/> may take before it fails with <see cref="ConnectTimeoutException"/>. Default 20 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How many messages may wait to be written before <see cref="EngineIOClient.SendAsync(string, CancellationToken)"/>
    /// waits for room, so that a sender faster than the connection cannot grow memory without limit. Default 1024.
    /// </summary>
    public int SendQueueLimit { get; set; } = 1024;

    /// <summary>Whether to add a unique <c>t</c> parameter to each request so that no cache answers it. Default true.</summary>
    public bool TimestampRequests { get; set; } = true;

    /// <summary>The clock for timeouts and the heartbeat watchdog. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Certificate validation and client certificates, applied to both transports.</summary>
    public EngineIOClientTlsOptions Tls { get; } = new();

    /// <summary>
    /// The HTTP proxy both transports go through: polling requests (absolute-form for <c>http</c>, a <c>CONNECT</c>
    /// tunnel for <c>https</c>) and the WebSocket (always a <c>CONNECT</c> tunnel). Null (the default) keeps the
    /// platform's default proxy (the <c>HTTP_PROXY</c>/<c>HTTPS_PROXY</c>/<c>NO_PROXY</c> environment variables). A proxy
    /// that refuses or cannot be reached fails the connection with <see cref="ProxyFailedException"/>. Proxy
    /// credentials go in <see cref="IWebProxy.Credentials"/>. Ignored when <see cref="HttpMessageHandler"/> is set.
    /// </summary>
    public IWebProxy? Proxy { get; set; }

    /// <summary>
    /// An HTTP handler to use instead of the one the client builds (e.g. for a proxy). It carries both transports, so for
    /// WebSocket it must be, or delegate to, a <see cref="SocketsHttpHandler"/>. When set, <see cref="Tls"/>, <see cref="Proxy"/>
    /// and <see cref="Cookies"/> are not applied: configure them on the handler. The client does not dispose it.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>Where log messages go (categories <c>TypedSio.Client.Engine</c>, <c>TypedSio.Client.Transports.*</c>). Default none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
