using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TypedSio;

/// <summary>The server could not be reached: the name did not resolve, the connection was refused, reset or dropped.</summary>
public sealed class ServerUnreachableException : ConnectErrorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host the client tried.</param>
    /// <param name="port">The port the client tried.</param>
    /// <param name="innerException">The socket or HTTP exception that says why.</param>
    public ServerUnreachableException(string host, int port, Exception innerException)
        : base(Describe(
            $"Could not reach the server at {host}:{port}: {innerException?.Message}",
            "the server is not running or not listening on this host and port, the host name does not resolve, or a firewall or proxy blocks the connection.",
            "the URL (scheme, host, port), that the server is started, and that it is reachable from this machine (e.g. with curl)."),
            innerException)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        Port = port;
    }

    /// <summary>The host the client tried.</summary>
    public string Host { get; }

    /// <summary>The port the client tried.</summary>
    public int Port { get; }
}

/// <summary>The TLS handshake failed because the server's certificate was not trusted.</summary>
public sealed class TlsCertificateRejectedException : ConnectErrorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host the client tried.</param>
    /// <param name="certificate">The certificate the server presented, when the client saw one.</param>
    /// <param name="policyErrors">What was wrong with it.</param>
    /// <param name="chainStatus">The chain-building problems, if any.</param>
    /// <param name="innerException">The authentication exception.</param>
    public TlsCertificateRejectedException(
        string host,
        X509Certificate2? certificate,
        SslPolicyErrors policyErrors,
        IReadOnlyList<X509ChainStatus>? chainStatus,
        Exception? innerException)
        : base(Describe(
            $"The TLS certificate of {host} was rejected ({policyErrors}{FormatChain(chainStatus)})"
            + (certificate is null ? "." : $": subject '{certificate.Subject}', issuer '{certificate.Issuer}', valid {certificate.NotBefore:u} to {certificate.NotAfter:u}."),
            "a self-signed or privately issued certificate, an expired certificate, or a host name that does not match the certificate.",
            "the certificate chain the server sends; for a private CA pass its certificate in the client's TLS options (CA certificates) instead of turning validation off."),
            innerException)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        Certificate = certificate;
        PolicyErrors = policyErrors;
        ChainStatus = chainStatus ?? [];
    }

    /// <summary>The host the client tried.</summary>
    public string Host { get; }

    /// <summary>The certificate the server presented, when the client saw one.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Why the certificate was rejected.</summary>
    public SslPolicyErrors PolicyErrors { get; }

    /// <summary>The chain-building problems, if any.</summary>
    public IReadOnlyList<X509ChainStatus> ChainStatus { get; }

    private static string FormatChain(IReadOnlyList<X509ChainStatus>? chainStatus) =>
        chainStatus is { Count: > 0 } ? "; chain: " + string.Join(", ", chainStatus.Select(s => s.Status)) : string.Empty;
}

/// <summary>The connection did not open within the configured time.</summary>
public sealed class ConnectTimeoutException : ConnectErrorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="timeout">The time that ran out.</param>
    /// <param name="innerException">The cancellation that ended the attempt, if any.</param>
    public ConnectTimeoutException(TimeSpan timeout, Exception? innerException = null)
        : base(Describe(
            $"The connection did not open within {timeout.TotalSeconds:0.###} s.",
            "the server or a proxy accepts the connection but never answers the handshake, the network is very slow, or a firewall silently drops packets.",
            "that the URL and path point at a Socket.IO/Engine.IO server, and that proxies forward long-polling requests and WebSocket upgrades."),
            innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The time that ran out.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>The server broke the Engine.IO or Socket.IO protocol: an invalid handshake, an undecodable or unexpected packet.</summary>
public sealed class ServerProtocolViolationException : ConnectErrorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="detail">What the server sent that the protocol does not allow.</param>
    /// <param name="innerException">The parse error, if any.</param>
    public ServerProtocolViolationException(string detail, Exception? innerException = null)
        : base(Describe(
            $"The server broke the protocol: {detail}",
            "the URL points at something that is not an Engine.IO v4 server (or not the protocol version the client speaks), or a proxy alters the traffic.",
            "the server's Socket.IO/Engine.IO version, the client's protocol version option, and the path."),
            innerException)
    {
        ArgumentNullException.ThrowIfNull(detail);
        Detail = detail;
    }

    /// <summary>What the server sent that the protocol does not allow.</summary>
    public string Detail { get; }
}

/// <summary>The server answered with an HTTP error that carries no Engine.IO error code (e.g. 404 from a wrong path, 502 from a proxy).</summary>
public sealed class UnexpectedHttpResponseException : ConnectErrorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="httpStatus">The HTTP status.</param>
    /// <param name="contentType">The response's content type, if any.</param>
    /// <param name="rawBody">The body as received.</param>
    public UnexpectedHttpResponseException(int httpStatus, string? contentType, string rawBody)
        : base(Describe(
            $"The server answered with HTTP {httpStatus}{(string.IsNullOrWhiteSpace(rawBody) ? "" : $": \"{Shorten(rawBody)}\"")}.",
            httpStatus == 404
                ? "the path is wrong (the server listens on another path than the client's, '/socket.io/' by default)."
                : "a proxy or another application answered instead of the Engine.IO server, or the server refused a WebSocket upgrade with a custom message.",
            "the URL and path options on both sides, and what answers at that address."))
    {
        ArgumentNullException.ThrowIfNull(rawBody);
        HttpStatus = httpStatus;
        ContentType = contentType;
        RawBody = rawBody;
    }

    /// <summary>The HTTP status.</summary>
    public int HttpStatus { get; }

    /// <summary>The response's content type, if any.</summary>
    public string? ContentType { get; }

    /// <summary>The body as received.</summary>
    public string RawBody { get; }

    private static string Shorten(string body) => body.Length <= 200 ? body.Trim() : string.Concat(body.AsSpan(0, 200), "…");
}

/// <summary>
/// The configured HTTP proxy could not be reached, or refused to carry the connection (e.g. 407 Proxy Authentication
/// Required, or a failed <c>CONNECT</c> tunnel).
/// </summary>
public sealed class ProxyFailedException : ConnectErrorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="proxy">The proxy the client went through.</param>
    /// <param name="httpStatus">The status the proxy answered with, or null when it could not be reached or gave none.</param>
    /// <param name="innerException">The HTTP or socket exception that says why, if any.</param>
    public ProxyFailedException(Uri proxy, int? httpStatus, Exception? innerException = null)
        : base(Describe(
            httpStatus is { } status
                ? $"The proxy {proxy} refused the connection with HTTP {status}."
                : $"The proxy {proxy} could not be reached or failed to open a tunnel: {innerException?.Message}",
            httpStatus == 407
                ? "the proxy requires authentication and the client sent no or wrong credentials."
                : "the proxy is not running at that address, or it does not allow connections to this server.",
            "the proxy address and credentials (IWebProxy.Credentials), and whether the proxy allows this host and port."),
            innerException)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        Proxy = proxy;
        HttpStatus = httpStatus;
    }

    /// <summary>The proxy the client went through.</summary>
    public Uri Proxy { get; }

    /// <summary>The status the proxy answered with, or null when it could not be reached or gave none.</summary>
    public int? HttpStatus { get; }
}
