using Microsoft.AspNetCore.Http;

namespace TypedSio.Server.EngineIO;

/// <summary>Engine.IO server settings. Defaults match the reference server's.</summary>
public sealed class EngineIOServerOptions
{
    /// <summary>How long after a pong (or the handshake) the server sends the next ping. Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the server waits for the pong after a ping before closing the session. Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a client may take to finish upgrading to WebSocket after opening it. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest POST body or WebSocket message accepted, in bytes; announced as <c>maxPayload</c>. Default 1 MB.</summary>
    public long MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>The transports offered, from <see cref="EngineIOTransportNames"/>. Default polling and websocket.</summary>
    public IList<string> Transports { get; } = [EngineIOTransportNames.Polling, EngineIOTransportNames.WebSocket];

    /// <summary>Whether polling clients may upgrade to WebSocket. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Whether Engine.IO v3 clients (Socket.IO v2) are served. Default false: they get error 5.</summary>
    public bool AllowEIO3 { get; set; }

    /// <summary>
    /// Decides whether a handshake may proceed; a refusal is answered with error 4 (Forbidden) and the message, if any.
    /// Null (the default) allows every handshake.
    /// </summary>
    public Func<HttpContext, ValueTask<(bool Allowed, string? Message)>>? AllowRequest { get; set; }

    /// <summary>The session cookie sent with a polling handshake; null (the default) sends none.</summary>
    public EngineIOCookieOptions? Cookie { get; set; }

    /// <summary>Cross-origin settings; null (the default) adds no CORS headers and answers no preflight.</summary>
    public EngineIOCorsOptions? Cors { get; set; }

    /// <summary>Compression of polling responses; null turns it off. On by default with a 1024-byte threshold.</summary>
    public EngineIOHttpCompressionOptions? HttpCompression { get; set; } = new();

    /// <summary>Per-message deflate on WebSocket; null (the default) turns it off.</summary>
    public EngineIOPerMessageDeflateOptions? PerMessageDeflate { get; set; }

    /// <summary>
    /// The most packets waiting for the client on one connection; beyond it the connection closes with
    /// <see cref="EngineIOCloseReason.SlowConsumer"/>. Default 10,000.
    /// </summary>
    public int MaxBufferedPackets { get; set; } = 10_000;

    /// <summary>The most bytes of messages waiting for the client on one connection (same rule). Default 64 MB.</summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The most received messages waiting for the application to read them; beyond it the server stops reading from the
    /// client (a POST is answered only once its packets fit). Default 1,024.
    /// </summary>
    public int MaxReceiveQueue { get; set; } = 1024;

    /// <summary>How long a polling session being closed by the server waits for the poll that carries the close packet. Default 30 s.</summary>
    public TimeSpan PollingCloseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Makes the session id for a handshake (the reference's <c>generateId</c>); it must be unique among open sessions
    /// and safe in a URL. Null (the default) makes 20 random URL-safe base64 characters.
    /// </summary>
    public Func<HttpContext, string>? GenerateId { get; set; }

    /// <summary>The clock for heartbeats and timeouts; null uses the <see cref="System.TimeProvider"/> service, or the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>The session cookie (the reference server's <c>cookie</c> option).</summary>
public sealed class EngineIOCookieOptions
{
    /// <summary>The cookie name. Default <c>io</c>.</summary>
    public string Name { get; set; } = "io";

    /// <summary>The cookie path. Default <c>/</c>.</summary>
    public string? Path { get; set; } = "/";

    /// <summary>The cookie domain, or null for none.</summary>
    public string? Domain { get; set; }

    /// <summary>Whether the cookie is HttpOnly. Default true.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>Whether the cookie is Secure. Default false.</summary>
    public bool Secure { get; set; }

    /// <summary>The SameSite attribute: <c>Strict</c>, <c>Lax</c>, <c>None</c>, or null for none. Default <c>Lax</c>.</summary>
    public string? SameSite { get; set; } = "Lax";

    /// <summary>The Max-Age attribute, or null for a session cookie.</summary>
    public TimeSpan? MaxAge { get; set; }
}

/// <summary>Cross-origin resource sharing for the Engine.IO endpoint, with the npm <c>cors</c> package's behaviour.</summary>
public sealed class EngineIOCorsOptions
{
    /// <summary>
    /// Allowed origins, e.g. <c>https://example.com</c>. <c>*</c> allows any origin and is sent as <c>*</c>. Matching is
    /// exact and case-sensitive, as in the reference.
    /// </summary>
    public IList<string> Origins { get; } = [];

    /// <summary>Decides per request origin; when set it is asked after <see cref="Origins"/>, and an allowed origin is echoed back.</summary>
    public Func<string, bool>? IsOriginAllowed { get; set; }

    /// <summary>Whether to send <c>Access-Control-Allow-Credentials: true</c>.</summary>
    public bool Credentials { get; set; }

    /// <summary>The methods announced to a preflight. Default <c>GET,HEAD,PUT,PATCH,POST,DELETE</c>.</summary>
    public string Methods { get; set; } = "GET,HEAD,PUT,PATCH,POST,DELETE";

    /// <summary>The headers announced to a preflight; null echoes <c>Access-Control-Request-Headers</c>.</summary>
    public string? AllowedHeaders { get; set; }

    /// <summary>The value of <c>Access-Control-Expose-Headers</c>, or null for none.</summary>
    public string? ExposedHeaders { get; set; }

    /// <summary>The value of <c>Access-Control-Max-Age</c> for preflights, or null for none.</summary>
    public TimeSpan? MaxAge { get; set; }
}

/// <summary>Compression of polling responses (the reference server's <c>httpCompression</c>).</summary>
public sealed class EngineIOHttpCompressionOptions
{
    /// <summary>Responses smaller than this many bytes are sent uncompressed. Default 1024.</summary>
    public int Threshold { get; set; } = 1024;

    /// <summary>The compression level. Default <see cref="System.IO.Compression.CompressionLevel.Fastest"/>.</summary>
    public System.IO.Compression.CompressionLevel Level { get; set; } = System.IO.Compression.CompressionLevel.Fastest;
}

/// <summary>Per-message deflate on WebSocket (the reference server's <c>perMessageDeflate</c>).</summary>
public sealed class EngineIOPerMessageDeflateOptions
{
    /// <summary>Messages smaller than this many bytes are sent uncompressed. Default 1024.</summary>
    public int Threshold { get; set; } = 1024;

    /// <summary>Whether the server resets its compression context for every message. Default false.</summary>
    public bool ServerNoContextTakeover { get; set; }

    /// <summary>The server's LZ77 window bits (9–15). Default 15.</summary>
    public int ServerMaxWindowBits { get; set; } = 15;
}
