using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests.Support;

/// <summary>
/// A minimal load balancer in front of several servers: each new HTTP request or WebSocket goes to the next backend in
/// turn, unless cookie affinity is on and the request carries the <c>backend</c> cookie the proxy set on an earlier answer.
/// </summary>
internal sealed class AffinityProxy : IAsyncDisposable
{
    public const string CookieName = "backend";
    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly string[] _backends;
    private readonly bool _cookieAffinity;
    private int _next;

    private AffinityProxy(string[] backends, bool cookieAffinity)
    {
        _backends = backends;
        _cookieAffinity = cookieAffinity;
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(ForwardAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<AffinityProxy> StartAsync(bool cookieAffinity, params string[] backends)
    {
        var proxy = new AffinityProxy(backends, cookieAffinity);
        await proxy._app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }

    private int Choose(HttpContext context)
    {
        if (_cookieAffinity && int.TryParse(context.Request.Cookies[CookieName], out var pinned) && pinned >= 0 && pinned < _backends.Length)
        {
            return pinned;
        }

        var chosen = (Interlocked.Increment(ref _next) - 1) % _backends.Length;
        if (_cookieAffinity)
        {
            context.Response.Cookies.Append(CookieName, chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), new CookieOptions { Path = "/", HttpOnly = true });
        }

        return chosen;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var backend = _backends[Choose(context)];
        var target = backend + context.Request.Path + context.Request.QueryString;
        if (context.WebSockets.IsWebSocketRequest)
        {
            await ForwardWebSocketAsync(context, new Uri("ws" + target[4..]));
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.Append(header.Key, header.Value.ToArray());
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task ForwardWebSocketAsync(HttpContext context, Uri target)
    {
        using var upstream = new ClientWebSocket();
        await upstream.ConnectAsync(target, context.RequestAborted);
        using var downstream = await context.WebSockets.AcceptWebSocketAsync();
        await Task.WhenAny(PumpAsync(downstream, upstream), PumpAsync(upstream, downstream));
    }

    private static async Task PumpAsync(WebSocket from, WebSocket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await from.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await to.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // one side went away
        }
    }
}
