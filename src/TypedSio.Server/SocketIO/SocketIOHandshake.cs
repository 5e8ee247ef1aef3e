using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TypedSio.Server.EngineIO;

namespace TypedSio.Server.SocketIO;

/// <summary>What a socket's client sent when it connected: the HTTP handshake of its connection and the namespace auth payload.</summary>
public sealed class SocketIOHandshake
{
    // A local socket's handshake reads the headers and query from its connection's request only when asked.
    private readonly EngineIORequestInfo? _request;
    private readonly IHeaderDictionary? _headers;
    private readonly IQueryCollection? _query;
    private string? _url;

    internal SocketIOHandshake(EngineIORequestInfo request, JsonElement auth, DateTimeOffset time)
    {
        _request = request;
        Auth = auth;
        Address = request.RemoteIpAddress;
        Secure = request.IsHttps;
        Issued = time.ToUnixTimeMilliseconds();
        Time = time.ToString("R", CultureInfo.InvariantCulture);
        XDomain = request.HasHeader("Origin");
    }

    /// <summary>Creates the handshake of a socket held by another server of a cluster (cluster adapters call it).</summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="query">The query string.</param>
    /// <param name="auth">The CONNECT auth payload.</param>
    /// <param name="address">The client's address.</param>
    /// <param name="secure">Whether it came over HTTPS.</param>
    /// <param name="issued">When it connected, in Unix milliseconds.</param>
    /// <param name="time">When it connected, as the other server wrote it.</param>
    /// <param name="url">The request's path and query.</param>
    /// <param name="xDomain">Whether the request was cross-origin.</param>
    public SocketIOHandshake(IHeaderDictionary headers, IQueryCollection query, JsonElement auth, IPAddress? address, bool secure, long issued, string time, string url, bool xDomain)
    {
        _headers = headers;
        _query = query;
        Auth = auth;
        Address = address;
        Secure = secure;
        Issued = issued;
        Time = time;
        _url = url;
        XDomain = xDomain;
    }

    /// <summary>The handshake request's headers.</summary>
    public IHeaderDictionary Headers => _headers ?? _request!.Headers;

    /// <summary>The handshake request's query string.</summary>
    public IQueryCollection Query => _query ?? _request!.Query;

    /// <summary>The auth payload of the CONNECT packet (<c>{}</c> when the client sent none).</summary>
    public JsonElement Auth { get; }

    /// <summary>The client's IP address.</summary>
    public IPAddress? Address { get; }

    /// <summary>Whether the connection came over HTTPS.</summary>
    public bool Secure { get; }

    /// <summary>When the socket connected, in Unix milliseconds.</summary>
    public long Issued { get; }

    /// <summary>When the socket connected, as an HTTP date.</summary>
    public string Time { get; }

    /// <summary>The handshake request's path and query.</summary>
    public string Url => _url ??= BuildUrl(_request!);

    /// <summary>Whether the request was cross-origin (it carried an <c>Origin</c> header).</summary>
    public bool XDomain { get; }

    private static string BuildUrl(EngineIORequestInfo request)
    {
        var query = new System.Text.StringBuilder();
        foreach (var (key, values) in request.QueryPairs)
        {
            foreach (var value in values)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
            }
        }

        return request.Path + query.ToString();
    }
}
