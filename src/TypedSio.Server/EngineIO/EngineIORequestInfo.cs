using System.Net;
using Microsoft.AspNetCore.Http;

namespace TypedSio.Server.EngineIO;

/// <summary>What the handshake request carried, kept for the life of the connection (the request itself is not).</summary>
public sealed class EngineIORequestInfo
{
    internal EngineIORequestInfo(HttpContext context)
    {
        Path = context.Request.Path;
        Query = new QueryCollection(context.Request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase));
        Headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        RemoteIpAddress = context.Connection.RemoteIpAddress;
        RemotePort = context.Connection.RemotePort;
        IsHttps = context.Request.IsHttps;
        User = context.User;
    }

    /// <summary>The request path.</summary>
    public PathString Path { get; }

    /// <summary>The query string parameters (e.g. <c>EIO</c>, <c>transport</c>, and any the client added).</summary>
    public IQueryCollection Query { get; }

    /// <summary>A copy of the request headers.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The client's IP address, when known.</summary>
    public IPAddress? RemoteIpAddress { get; }

    /// <summary>The client's TCP port.</summary>
    public int RemotePort { get; }

    /// <summary>Whether the handshake came over HTTPS.</summary>
    public bool IsHttps { get; }

    /// <summary>The authenticated user of the handshake request, if authentication ran.</summary>
    public System.Security.Claims.ClaimsPrincipal User { get; }
}
