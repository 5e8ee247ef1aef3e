using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace TypedSio.Server.EngineIO;

/// <summary>What the handshake request carried, kept for the life of the connection (the request itself is not).</summary>
public sealed class EngineIORequestInfo
{
    // Kept as flat arrays (the strings are the request's own) and turned into dictionaries only when someone asks:
    // thousands of idle connections should not each hold two hash tables nobody reads.
    private readonly KeyValuePair<string, StringValues>[] _query;
    private readonly KeyValuePair<string, StringValues>[] _headers;
    private IQueryCollection? _queryCollection;
    private IHeaderDictionary? _headerDictionary;
    private System.Security.Claims.ClaimsPrincipal? _user;

    internal EngineIORequestInfo(HttpContext context)
        : this(
            context.Request.Path,
            [.. context.Request.Query],
            [.. context.Request.Headers],
            context.Connection.RemoteIpAddress,
            context.Connection.RemotePort,
            context.Request.IsHttps,
            context.User)
    {
    }

    internal EngineIORequestInfo(
        PathString path,
        KeyValuePair<string, StringValues>[] query,
        KeyValuePair<string, StringValues>[] headers,
        IPAddress? remoteIpAddress,
        int remotePort,
        bool isHttps,
        System.Security.Claims.ClaimsPrincipal? user)
    {
        Path = path;
        _query = query;
        _headers = headers;
        RemoteIpAddress = remoteIpAddress;
        RemotePort = remotePort;
        IsHttps = isHttps;
        _user = user;
    }

    /// <summary>The request path.</summary>
    public PathString Path { get; }

    /// <summary>The query string parameters (e.g. <c>EIO</c>, <c>transport</c>, and any the client added).</summary>
    public IQueryCollection Query =>
        _queryCollection ??= new QueryCollection(new Dictionary<string, StringValues>(_query, StringComparer.OrdinalIgnoreCase));

    /// <summary>A copy of the request headers.</summary>
    public IHeaderDictionary Headers =>
        _headerDictionary ??= new HeaderDictionary(new Dictionary<string, StringValues>(_headers, StringComparer.OrdinalIgnoreCase));

    /// <summary>The client's IP address, when known.</summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>The client's TCP port.</summary>
    public int RemotePort { get; }

    /// <summary>Whether the handshake came over HTTPS.</summary>
    public bool IsHttps { get; }

    /// <summary>The authenticated user of the handshake request, if authentication ran.</summary>
    // Made on demand for connections that had no user (the connection-level path): most never ask.
    public System.Security.Claims.ClaimsPrincipal User => _user ??= new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());

    /// <summary>The query parameters in request order, without building <see cref="Query"/>.</summary>
    internal ReadOnlySpan<KeyValuePair<string, StringValues>> QueryPairs => _query;

    /// <summary>Whether a header is present, without building <see cref="Headers"/>.</summary>
    internal bool HasHeader(string name)
    {
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
