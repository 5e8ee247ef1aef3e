using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TypedSio.Server.EngineIO;

namespace TypedSio.Server.SocketIO;

/// <summary>What a socket's client sent when it connected: the HTTP handshake of its connection and the namespace auth payload.</summary>
public sealed class SocketIOHandshake
{
    internal SocketIOHandshake(EngineIORequestInfo request, JsonElement auth, DateTimeOffset time)
    {
        Headers = request.Headers;
        Query = request.Query;
        Auth = auth;
        Address = request.RemoteIpAddress;
        Secure = request.IsHttps;
        Issued = time.ToUnixTimeMilliseconds();
        Time = time.ToString("R", CultureInfo.InvariantCulture);
        var query = string.Join("&", request.Query.SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? ""))));
        Url = request.Path + (query.Length > 0 ? "?" + query : "");
        XDomain = request.Headers.ContainsKey("Origin");
    }

    /// <summary>The handshake request's headers.</summary>
    public IHeaderDictionary Headers { get; }

    /// <summary>The handshake request's query string.</summary>
    public IQueryCollection Query { get; }

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
    public string Url { get; }

    /// <summary>Whether the request was cross-origin (it carried an <c>Origin</c> header).</summary>
    public bool XDomain { get; }
}
