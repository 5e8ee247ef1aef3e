using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace TypedSio.Server.EngineIO;

/// <summary>Serves Engine.IO WebSockets on a Kestrel endpoint below ASP.NET Core's HTTP layer.</summary>
public static class EngineIOKestrelExtensions
{
    /// <summary>
    /// Lets this endpoint's connections whose first request is a WebSocket handshake to a mapped Engine.IO (or
    /// Socket.IO) path run that WebSocket straight on the connection, without ASP.NET Core's per-request state under
    /// it: about a third less memory per idle connection and fewer steps per message. Such a connection skips the
    /// application's middleware pipeline (authentication, custom middleware), so use it only where the Engine.IO
    /// endpoint needs none of it. Requests it does not take go to ASP.NET Core unchanged: other paths and
    /// protocols, TLS bytes (when this runs before <c>UseHttps</c>), polling, and any handshake the endpoint must see as
    /// an HTTP request (an <c>AllowRequest</c> or <c>GenerateId</c> callback, a refusal with an error code,
    /// per-message deflate, EIO=3, or endpoint conventions such as <c>RequireAuthorization</c>).
    /// </summary>
    /// <param name="listenOptions">The endpoint, e.g. from <c>ConfigureKestrel(k =&gt; k.ConfigureEndpointDefaults(l =&gt; …))</c>.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="InvalidOperationException">Neither <c>AddEngineIO</c> nor <c>AddSocketIO</c> was called.</exception>
    public static ListenOptions UseEngineIOWebSockets(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var directory = listenOptions.ApplicationServices.GetService<EngineIOServerDirectory>()
            ?? throw new InvalidOperationException("UseEngineIOWebSockets needs the services of AddEngineIO or AddSocketIO.");
        listenOptions.Use(next => new EngineIOConnectionMiddleware(next, directory).OnConnectionAsync);
        return listenOptions;
    }
}
