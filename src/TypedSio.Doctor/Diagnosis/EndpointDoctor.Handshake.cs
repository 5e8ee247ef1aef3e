using System.Buffers;
using System.Globalization;
using System.Text;
using TypedSio.EngineIO;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private async Task<CheckResult> CheckHandshakeAsync(CancellationToken cancellationToken)
    {
        const string Id = "handshake", Title = "Engine.IO handshake";
        HttpAnswer answer;
        try
        {
            answer = await GetAsync(_target.Http("EIO=4&transport=polling&t=doctor1"), cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            StopAfter("the server does not answer HTTP.");
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"no HTTP answer within {_options.StepTimeout.TotalSeconds:0} s")
            {
                Cause = "something accepts connections on this port but never answers the request: not an HTTP server, a hung server, or a proxy waiting for an upstream that does not answer.",
                Fix = "check which program listens on the port and that the Socket.IO server is responsive (its logs, its event loop).",
            };
        }
        catch (HttpRequestException exception)
        {
            _log.Add("http", $"failed: {exception.Message}");
            StopAfter("the server does not answer HTTP.");
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"the HTTP request failed: {exception.Message}")
            {
                Cause = exception.HttpRequestError == HttpRequestError.InvalidResponse
                    ? "the port does not speak HTTP (another protocol, e.g. a database or SSH), or it speaks TLS and the URL says http://."
                    : "the server closed or reset the connection while answering (a crash, a proxy or firewall in between).",
                Fix = "check the URL's scheme and port, and which program listens there.",
            };
        }

        var statusDetail = new KeyValuePair<string, string>("status", answer.Status.ToString(CultureInfo.InvariantCulture));
        if (answer.IsSuccess)
        {
            if (TryReadHandshake(answer.Body, EngineIOPayloadFormat.V4, out var handshake, out var problem))
            {
                _handshake = handshake;
                return new CheckResult(Id, Title, CheckVerdict.Pass,
                    $"polling handshake OK: sid {handshake!.Sid}, upgrades [{string.Join(", ", handshake.Upgrades)}], pingInterval {Ms(handshake.PingInterval)}, pingTimeout {Ms(handshake.PingTimeout)}, maxPayload {handshake.MaxPayload?.ToString(CultureInfo.InvariantCulture) ?? "-"}")
                {
                    Details = DescribeHandshake(handshake, answer.Status),
                };
            }

            return NotEngineIO(Id, Title, answer, problem);
        }

        if (EngineIOErrorResponse.TryParse(answer.Status, answer.ContentType, answer.Body, out var refusal))
        {
            _pollingRefusal = refusal!.Code;
            var details = new List<KeyValuePair<string, string>> { statusDetail, new("code", ((int)refusal.Code).ToString(CultureInfo.InvariantCulture)), new("message", refusal.ServerMessage), new("body", Shorten(answer.Body)) };
            var summary = $"HTTP {answer.Status}, error {(int)refusal.Code} \"{refusal.ServerMessage}\" ({EngineIOErrors.GetMessage(refusal.Code)})";
            return refusal.Code switch
            {
                EngineIOErrorCode.TransportUnknown => new CheckResult(Id, Title, CheckVerdict.Warn, summary + ": the server does not offer long-polling")
                {
                    Cause = "the server is configured with transports: ['websocket'] only.",
                    Fix = "clients must connect with transports: ['websocket'] (TypedSio: Transports = [WebSocket]); or add 'polling' to the server's transports so default clients can connect.",
                    Details = details,
                },
                EngineIOErrorCode.SessionIdUnknown => Refused(summary, "several server instances run behind a load balancer without sticky sessions, so a request reached an instance that never saw the session.",
                    "enable sticky sessions (cookie- or IP-based affinity) on the load balancer, or have clients use transports: ['websocket'] only."),
                EngineIOErrorCode.BadHandshakeMethod => Refused(summary, "something between the client and the server rewrote the GET handshake or dropped its query string.",
                    "check proxy rules for the path: the query (EIO, transport, sid) and the method must reach the server unchanged."),
                EngineIOErrorCode.BadRequest => Refused(summary, "the server found the handshake malformed: often an Origin refused by the server, or a proxy that altered the request.",
                    "check the server's allowed origins and the proxy's rewriting rules."),
                EngineIOErrorCode.Forbidden => Refused(summary, $"the server's allowRequest hook (or an auth layer in front of it) refused the handshake: \"{refusal.ServerMessage}\".",
                    "send what allowRequest expects (a cookie, a header, a query parameter, an allowed Origin), or fix its logic."),
                EngineIOErrorCode.UnsupportedProtocolVersion => Refused(summary, "the server speaks another Engine.IO protocol version: it is a Socket.IO v2 server (Engine.IO 3), which refuses EIO=4.",
                    "upgrade the server to Socket.IO v3/v4, or use an Engine.IO 3 client (socket.io-client 2.x; TypedSio: ProtocolVersion = V3). A v4 server can also serve old clients with allowEIO3: true."),
                _ => Refused(summary, "an unknown Engine.IO error.", "check the server's logs."),
            };

            CheckResult Refused(string what, string cause, string fix)
            {
                // A version refusal leaves the protocol check to tell which version the server speaks; it stops after that.
                if (refusal.Code != EngineIOErrorCode.UnsupportedProtocolVersion)
                {
                    StopAfter("the Engine.IO handshake was refused.");
                }

                return new CheckResult(Id, Title, CheckVerdict.Fail, what) { Cause = cause, Fix = fix, Details = details };
            }
        }

        return NotEngineIO(Id, Title, answer, null);
    }

    /// <summary>A 2xx that is not a handshake, a 404, a proxy's error page: whatever answered is not Engine.IO.</summary>
    private CheckResult NotEngineIO(string id, string title, HttpAnswer answer, string? problem)
    {
        // Without a polling handshake the rest can still tell a WebSocket-only server; only a clear non-Socket.IO answer stops.
        var server = answer.Header("Server");
        var via = answer.Header("Via");
        var details = new List<KeyValuePair<string, string>>
        {
            new("status", answer.Status.ToString(CultureInfo.InvariantCulture)),
            new("content-type", answer.ContentType ?? "-"),
            new("body", Shorten(answer.Body)),
        };
        if (server is not null)
        {
            details.Add(new("server", server));
        }

        if (via is not null)
        {
            details.Add(new("via", via));
        }

        var proxy = via is not null || server?.Contains("nginx", StringComparison.OrdinalIgnoreCase) == true
            || server?.Contains("cloudflare", StringComparison.OrdinalIgnoreCase) == true || server?.Contains("envoy", StringComparison.OrdinalIgnoreCase) == true;
        StopAfter("no Engine.IO server answers at this address.");
        if (answer.Status is 502 or 503 or 504)
        {
            return new CheckResult(id, title, CheckVerdict.Fail, $"HTTP {answer.Status} from {server ?? "a proxy"}: the proxy could not reach the Socket.IO server")
            {
                Cause = "the reverse proxy's upstream (the Socket.IO server) is down, on another port, or too slow.",
                Fix = "check the proxy's upstream address and that the Socket.IO server runs; raise proxy read timeouts above pingInterval.",
                Details = details,
            };
        }

        var page = answer.LooksLikeHtml ? "an HTML page" : answer.Body.Length == 0 ? "an empty body" : $"\"{Shorten(answer.Body, 60)}\"";
        if (answer.Status == 404)
        {
            return new CheckResult(id, title, CheckVerdict.Fail, $"HTTP 404 with {page}: nothing serves {_target.Path} here")
            {
                Cause = $"the server listens on another path than {_target.Path} (its 'path' option), or this is not a Socket.IO server" + (proxy ? ", or the proxy does not forward this path." : "."),
                Fix = "use the server's path on both sides (--path here, the 'path' option in clients), and check which application answers at this address.",
                Details = details,
            };
        }

        return new CheckResult(id, title, CheckVerdict.Fail, $"HTTP {answer.Status} with {page}, not an Engine.IO handshake" + (problem is null ? "" : $" ({problem})"))
        {
            Cause = answer.LooksLikeHtml
                ? "a web application or a proxy answers this path (e.g. a single-page app's catch-all route, a login page), not the Socket.IO server."
                : "whatever answers here is not a Socket.IO v3/v4 server" + (proxy ? ", or a proxy rewrote the answer." : "."),
            Fix = "route the Socket.IO path to the Socket.IO server before any catch-all route, and check the URL and path.",
            Details = details,
        };
    }

    private async Task<CheckResult> CheckSessionAsync(CancellationToken cancellationToken)
    {
        const string Id = "session", Title = "Session";
        if (_handshake is null)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "no polling session to check");
        }

        // A second request of the same session: behind several instances without sticky sessions it lands elsewhere.
        var sid = Uri.EscapeDataString(_handshake.Sid);
        using var noop = new HttpRequestMessage(HttpMethod.Post, _target.Http($"EIO=4&transport=polling&t=doctor2&sid={sid}"))
        {
            Content = new StringContent("6", Encoding.UTF8, "text/plain"),
        };
        var answer = await SendAsync(noop, cancellationToken);
        using var close = new HttpRequestMessage(HttpMethod.Post, _target.Http($"EIO=4&transport=polling&t=doctor3&sid={sid}"))
        {
            Content = new StringContent("1", Encoding.UTF8, "text/plain"),
        };
        await SendAsync(close, cancellationToken);
        if (answer.IsSuccess)
        {
            return new CheckResult(Id, Title, CheckVerdict.Pass, "a second request of the session reached the same server");
        }

        if (EngineIOErrorResponse.TryParse(answer.Status, answer.ContentType, answer.Body, out var refusal) && refusal!.Code == EngineIOErrorCode.SessionIdUnknown)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"the session's next request was refused: error 1 \"{refusal.ServerMessage}\"")
            {
                Cause = "a multi-server setup without sticky sessions: the request reached an instance that does not know the session.",
                Fix = "enable sticky sessions on the load balancer (cookie or IP hash), or have clients use transports: ['websocket'] only.",
            };
        }

        return new CheckResult(Id, Title, CheckVerdict.Fail, $"sending on the session failed: HTTP {answer.Status} {Shorten(answer.Body, 80)}")
        {
            Cause = "the server or a proxy refuses POST requests on this path (a method filter, a body size limit, a WAF rule).",
            Fix = "allow POST with a text/plain body on the Socket.IO path.",
        };
    }

    private static bool TryReadHandshake(string body, EngineIOPayloadFormat format, out EngineIOHandshake? handshake, out string? problem)
    {
        handshake = null;
        var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), format);
        if (!reader.TryRead(out var packet))
        {
            problem = reader.Error is { } error ? $"the body is not an Engine.IO payload: {error}" : "the body is empty";
            return false;
        }

        if (packet.Type != EngineIOPacketType.Open)
        {
            problem = $"the first packet is {packet.Type}, not open";
            return false;
        }

        return EngineIOHandshake.TryParse(packet.Data, out handshake, out problem);
    }

    private static List<KeyValuePair<string, string>> DescribeHandshake(EngineIOHandshake handshake, int status) =>
    [
        new("status", status.ToString(CultureInfo.InvariantCulture)),
        new("sid", handshake.Sid),
        new("upgrades", "[" + string.Join(", ", handshake.Upgrades) + "]"),
        new("pingInterval", Ms(handshake.PingInterval)),
        new("pingTimeout", Ms(handshake.PingTimeout)),
        new("maxPayload", handshake.MaxPayload?.ToString(CultureInfo.InvariantCulture) ?? "-"),
    ];

    private static string Ms(TimeSpan time) => ((long)time.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
}
