using System.Text;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private async Task<CheckResult> CheckCorsAsync(CancellationToken cancellationToken)
    {
        const string Id = "cors", Title = "CORS";
        if (_options.Origin is not { } origin)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "pass --origin https://your.site to check whether a browser page there may connect");
        }

        if (_handshake is null)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip,
                _websocketWorks ? "WebSocket only: browsers apply no CORS to WebSocket (the server may still check the Origin)" : "no polling handshake to check");
        }

        // Long-polling from a page on another origin is a cross-origin XHR/fetch: the browser needs the server's consent.
        using var preflightRequest = new HttpRequestMessage(HttpMethod.Options, _target.Http("EIO=4&transport=polling&t=doctor6"));
        preflightRequest.Headers.TryAddWithoutValidation("Origin", origin);
        preflightRequest.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        preflightRequest.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type");
        var preflight = await SendAsync(preflightRequest, cancellationToken);

        using var getRequest = new HttpRequestMessage(HttpMethod.Get, _target.Http("EIO=4&transport=polling&t=doctor7"));
        getRequest.Headers.TryAddWithoutValidation("Origin", origin);
        var get = await SendAsync(getRequest, cancellationToken);
        if (get.IsSuccess && TryReadHandshake(get.Body, TypedSio.EngineIO.EngineIOPayloadFormat.V4, out var handshake, out _))
        {
            using var close = new HttpRequestMessage(HttpMethod.Post, _target.Http($"EIO=4&transport=polling&t=doctor8&sid={Uri.EscapeDataString(handshake!.Sid)}"))
            {
                Content = new StringContent("1", Encoding.UTF8, "text/plain"),
            };
            await SendAsync(close, cancellationToken);
        }

        var allowOrigin = get.Header("Access-Control-Allow-Origin");
        var allowCredentials = string.Equals(get.Header("Access-Control-Allow-Credentials"), "true", StringComparison.Ordinal);
        var preflightOrigin = preflight.Header("Access-Control-Allow-Origin");
        var details = new List<KeyValuePair<string, string>>
        {
            new("origin", origin),
            new("GET status", get.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Access-Control-Allow-Origin", allowOrigin ?? "(none)"),
            new("Access-Control-Allow-Credentials", get.Header("Access-Control-Allow-Credentials") ?? "(none)"),
            new("preflight status", preflight.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("preflight Access-Control-Allow-Origin", preflightOrigin ?? "(none)"),
            new("preflight Access-Control-Allow-Methods", preflight.Header("Access-Control-Allow-Methods") ?? "(none)"),
        };

        var allowed = allowOrigin == "*" || string.Equals(allowOrigin, origin, StringComparison.Ordinal);
        if (!get.IsSuccess || !allowed)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail,
                $"a page on {origin} would be blocked: " + (!get.IsSuccess ? $"the handshake with that Origin gets HTTP {get.Status}"
                    : allowOrigin is null ? "the response has no Access-Control-Allow-Origin" : $"Access-Control-Allow-Origin is '{allowOrigin}'"))
            {
                Cause = !get.IsSuccess ? $"the server refuses requests from the origin {origin} (an origin check in allowRequest or in front of the server)."
                    : allowOrigin is null ? $"the server's CORS settings do not allow {origin} (or it has no cors option at all)."
                    : $"the server's CORS settings allow '{allowOrigin}', not {origin}.",
                Fix = $"allow the origin on the server: new Server(httpServer, {{ cors: {{ origin: [\"{origin}\"] }} }}) in Node, EngineIOServerOptions.Cors.Origins.Add(\"{origin}\") in TypedSio; or use transports: ['websocket'] in the browser (no CORS for WebSocket).",
                Details = details,
            };
        }

        var preflightOk = preflight.IsSuccess && (preflightOrigin == "*" || string.Equals(preflightOrigin, origin, StringComparison.Ordinal));
        if (!preflightOk)
        {
            return new CheckResult(Id, Title, CheckVerdict.Warn, $"a page on {origin} may connect, but the preflight is not answered (HTTP {preflight.Status})")
            {
                Cause = "the server allows the origin on simple requests but does not answer OPTIONS preflights; pages that add headers (extraHeaders) will be blocked.",
                Fix = "let the server's cors option (not a hand-written header) handle the path, so OPTIONS is answered.",
                Details = details,
            };
        }

        if (allowOrigin == "*")
        {
            return new CheckResult(Id, Title, CheckVerdict.Pass, $"a page on {origin} may connect (any origin; without credentials: browsers refuse withCredentials with '*')") { Details = details };
        }

        return new CheckResult(Id, Title, CheckVerdict.Pass,
            $"a page on {origin} may connect" + (allowCredentials ? ", with credentials (cookies)" : " (without credentials: withCredentials: true would be blocked)"))
        {
            Details = details,
        };
    }
}
