using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedSio.EngineIO;

namespace TypedSio.Client.Transports;

/// <summary>What every transport of one client shares: the HTTP handler, the certificate check, URLs and loggers.</summary>
internal sealed class TransportContext : IDisposable
{
    private readonly HttpMessageHandler? _ownedHandler;
    private long _requestCounter;

    public TransportContext(EngineIOClientOptions options)
    {
        Options = options;
        Version = options.ProtocolVersion;
        PayloadFormat = Version == EngineIOProtocolVersion.V3 ? EngineIOPayloadFormat.V3Text : EngineIOPayloadFormat.V4;
        var factory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        EngineLogger = factory.CreateLogger("TypedSio.Client.Engine");
        PollingLogger = factory.CreateLogger("TypedSio.Client.Transports.Polling");
        WebSocketLogger = factory.CreateLogger("TypedSio.Client.Transports.WebSocket");
        CertificateValidator = new CertificateValidator(options.Tls);
        Handler = options.HttpMessageHandler ?? (_ownedHandler = CertificateValidator.CreateHandler(options));

        // One handler carries polling and the WebSocket upgrade; this client never disposes it (the context does).
        Http = new HttpClient(Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public EngineIOClientOptions Options { get; }

    public EngineIOProtocolVersion Version { get; }

    public EngineIOPayloadFormat PayloadFormat { get; }

    public HttpMessageHandler Handler { get; }

    public HttpClient Http { get; }

    public CertificateValidator CertificateValidator { get; }

    /// <summary>Whether the handler is the client's own, so that <see cref="CertificateValidator"/> sees every certificate.</summary>
    public bool ValidatesCertificates => _ownedHandler is not null;

    /// <summary>The proxy the client's own handler sends this server's traffic through, or null for a direct connection.</summary>
    public Uri? ProxyUri => _ownedHandler is not null && Options.Proxy is { } proxy && !proxy.IsBypassed(Options.Uri)
        ? proxy.GetProxy(Options.Uri)
        : null;

    public ILogger EngineLogger { get; }

    public ILogger PollingLogger { get; }

    public ILogger WebSocketLogger { get; }

    public string Host => Options.Uri.Host;

    public int Port => Options.Uri.Port;

    /// <summary>Builds the URL of a request, as the reference client does: user query, EIO, transport, t, sid.</summary>
    public Uri BuildUri(EngineIOTransportKind transport, string? sid)
    {
        var secure = Options.Uri.Scheme is "https" or "wss";
        var scheme = transport == EngineIOTransportKind.WebSocket ? (secure ? "wss" : "ws") : (secure ? "https" : "http");
        var path = Options.Path.StartsWith('/') ? Options.Path : "/" + Options.Path;
        var query = new StringBuilder(Options.Uri.Query.TrimStart('?'));
        foreach (var (key, value) in Options.Query)
        {
            Append(query, key, value);
        }

        Append(query, "EIO", ((int)Version).ToString(CultureInfo.InvariantCulture));
        Append(query, "transport", transport == EngineIOTransportKind.WebSocket ? "websocket" : "polling");
        if (Version == EngineIOProtocolVersion.V3 && transport == EngineIOTransportKind.Polling)
        {
            // v3 servers then send binary as base64 inside text payloads, the one payload format this client reads for v3.
            Append(query, "b64", "1");
        }

        if (Options.TimestampRequests && transport == EngineIOTransportKind.Polling)
        {
            Append(query, "t", CreateTimestamp());
        }

        if (sid is not null)
        {
            Append(query, "sid", sid);
        }

        var builder = new UriBuilder(scheme, Options.Uri.Host, Options.Uri.Port, path) { Query = query.ToString() };
        return builder.Uri;
    }

    public void ApplyHeaders(HttpRequestMessage request)
    {
        foreach (var (name, value) in Options.ExtraHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _ownedHandler?.Dispose();
    }

    private static void Append(StringBuilder query, string key, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
    }

    // Unique per request like the reference's yeast ids; only cache-busting, so any unique short string will do.
    private string CreateTimestamp()
    {
        var counter = Interlocked.Increment(ref _requestCounter);
        Span<byte> random = stackalloc byte[3];
        RandomNumberGenerator.Fill(random);
        return string.Create(CultureInfo.InvariantCulture, $"{Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds():x}{counter:x}{Convert.ToHexStringLower(random)}");
    }
}
