using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using TypedSio.Client;
using TypedSio.EngineIO;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private const string ProxyUpgradeFix =
        "make the proxy forward the upgrade: nginx 'proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\";', Apache mod_proxy_wstunnel, WebSocket support on the load balancer.";

    private async Task<CheckResult> CheckWebSocketAsync(CancellationToken cancellationToken)
    {
        const string Id = "websocket", Title = "WebSocket";
        var uri = _target.WebSocket("EIO=4&transport=websocket");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StepTimeout);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        _log.Add("websocket", $"GET {uri} (Upgrade: websocket)");
        try
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
            _log.Add("websocket", "101 Switching Protocols");
            var buffer = new byte[16 * 1024];
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
            _log.Add("websocket", "<- " + Shorten(text));
            await CloseQuietlyAsync(socket);
            if (text.Length > 0 && text[0] == '0'
                && EngineIOHandshake.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text[1..])), out var handshake, out _))
            {
                _websocketWorks = true;
                return new CheckResult(Id, Title, CheckVerdict.Pass, $"direct WebSocket handshake OK (sid {handshake!.Sid})");
            }

            return new CheckResult(Id, Title, CheckVerdict.Fail, $"the WebSocket opened but its first message is not an Engine.IO open packet: \"{Shorten(text, 60)}\"")
            {
                Cause = "another WebSocket application answers this path, or the server speaks another protocol version.",
                Fix = "check the path and the server's Socket.IO version.",
            };
        }
        catch (Exception exception) when (exception is WebSocketException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = (int)socket.HttpStatusCode;
            _log.Add("websocket", $"failed: {(status == 0 ? "" : $"HTTP {status}, ")}{exception.Message}");
            return await DiagnoseWebSocketFailureAsync(status, exception, cancellationToken);
        }
    }

    private async Task<CheckResult> DiagnoseWebSocketFailureAsync(int status, Exception exception, CancellationToken cancellationToken)
    {
        const string Id = "websocket", Title = "WebSocket";
        var pollingWorks = _handshake is not null;
        var verdict = pollingWorks ? CheckVerdict.Warn : CheckVerdict.Fail;
        if (exception is OperationCanceledException)
        {
            return new CheckResult(Id, Title, verdict, $"the WebSocket handshake got no answer within {_options.StepTimeout.TotalSeconds:0} s")
            {
                Cause = "a proxy or firewall holds WebSocket upgrade requests (some corporate proxies do), or the proxy's upstream does not support them.",
                Fix = ProxyUpgradeFix,
            };
        }

        // The server's own words for a request that reached it without the upgrade tell a stripped Upgrade from a refusal.
        var plain = await GetAsync(_target.Http("EIO=4&transport=websocket"), cancellationToken);
        EngineIOErrorResponse.TryParse(plain.Status, plain.ContentType, plain.Body, out var refusal);
        var details = new List<KeyValuePair<string, string>>
        {
            new("upgrade status", status == 0 ? "-" : status.ToString(CultureInfo.InvariantCulture)),
            new("error", exception.Message),
        };
        if (refusal?.Code == EngineIOErrorCode.TransportUnknown)
        {
            return new CheckResult(Id, Title, verdict, "the server does not offer WebSocket (error 0 \"Transport unknown\")")
            {
                Cause = "the server is configured with transports: ['polling'] only.",
                Fix = pollingWorks
                    ? "nothing, if long-polling only is intended (clients stay on polling: more requests, more latency); otherwise add 'websocket' to the server's transports."
                    : "add 'websocket' to the server's transports, or let clients use polling.",
                Details = details,
            };
        }

        if (refusal?.Code == EngineIOErrorCode.Forbidden || status == 403)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"the WebSocket upgrade was refused with HTTP {status}")
            {
                Cause = "the server's allowRequest hook, an origin check or an auth layer refuses the upgrade request.",
                Fix = "send what the server expects on the upgrade request (cookie, header, query, Origin).",
                Details = details,
            };
        }

        if (status == 400 && refusal?.Code == EngineIOErrorCode.BadRequest)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail, "the WebSocket upgrade arrived at the server as a plain request (HTTP 400, error 3 \"Bad request\")")
            {
                Cause = "a proxy between this machine and the server strips the 'Upgrade' and 'Connection' headers, so the server saw no upgrade.",
                Fix = ProxyUpgradeFix + (pollingWorks ? " Until then clients stay on long-polling; WebSocket-only clients cannot connect." : ""),
                Details = details,
            };
        }

        if (status is 502 or 503 or 504 or 404 or 405 or 426 || status == 200)
        {
            return new CheckResult(Id, Title, verdict, $"the WebSocket upgrade was answered with HTTP {status} instead of 101")
            {
                Cause = "a proxy or load balancer in front of the server does not support WebSocket, or routes upgrade requests elsewhere.",
                Fix = ProxyUpgradeFix,
                Details = details,
            };
        }

        return new CheckResult(Id, Title, verdict, $"the WebSocket handshake failed{(status == 0 ? "" : $" (HTTP {status})")}: {exception.Message}")
        {
            Cause = "a proxy or firewall that does not let WebSocket through, or a server that refuses the upgrade.",
            Fix = ProxyUpgradeFix,
            Details = details,
        };
    }

    private async Task<CheckResult> CheckUpgradeAsync(CancellationToken cancellationToken)
    {
        const string Id = "upgrade", Title = "Upgrade";
        if (_handshake is null)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "no polling session to upgrade");
        }

        if (!_handshake.Upgrades.Contains("websocket", StringComparer.Ordinal))
        {
            return _websocketWorks
                ? new CheckResult(Id, Title, CheckVerdict.Warn, "the handshake offers no upgrade although WebSocket works")
                {
                    Cause = "the server sets allowUpgrades: false, so polling clients never move to WebSocket.",
                    Fix = "enable upgrades on the server, or have clients use transports: ['websocket'].",
                }
                : new CheckResult(Id, Title, CheckVerdict.Skip, "the handshake offers no upgrade (long-polling only)");
        }

        await using var client = new EngineIOClient(CreateClientOptions([EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket], upgrade: true));
        var outcome = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Upgraded += (_, _) => outcome.TrySetResult(null);
        client.UpgradeFailed += (_, error) => outcome.TrySetResult(error);
        client.Closed += (_, e) => outcome.TrySetResult(e.Exception ?? new InvalidOperationException("the session closed: " + e.Reason));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await client.OpenAsync(cancellationToken);
        }
        catch (ConnectErrorException error)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"the Engine.IO client could not open a polling session: {error.GetType().Name}")
            {
                Cause = error.Message,
                Fix = "see the handshake check; the client saw what it did not.",
            };
        }

        Exception? failure;
        try
        {
            failure = await outcome.Task.WaitAsync(_options.StepTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            failure = new TimeoutException($"no upgrade within {_options.StepTimeout.TotalSeconds:0} s");
        }

        if (failure is null)
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            return new CheckResult(Id, Title, CheckVerdict.Pass, $"polling -> websocket upgrade OK (2probe/3probe, {elapsed.TotalMilliseconds:0} ms)");
        }

        return new CheckResult(Id, Title, _websocketWorks ? CheckVerdict.Fail : CheckVerdict.Warn, $"the upgrade probe failed: {failure.Message}")
        {
            Cause = _websocketWorks
                ? "a direct WebSocket works but the upgrade of a polling session does not: several instances without sticky sessions (the upgrade request carries the sid and reached another instance), or a proxy that buffers the probe."
                : "the WebSocket itself does not get through (see the WebSocket check); clients stay on long-polling.",
            Fix = _websocketWorks
                ? "enable sticky sessions for WebSocket requests too (the same affinity as for polling)."
                : ProxyUpgradeFix,
        };
    }

    private EngineIOClientOptions CreateClientOptions(IReadOnlyList<EngineIOTransportKind> transports, bool upgrade)
    {
        var options = new EngineIOClientOptions(_target.ServerUri)
        {
            Path = _target.Path,
            Upgrade = upgrade,
            ConnectTimeout = _options.StepTimeout,
            LoggerFactory = _log,
        };
        options.Transports.Clear();
        foreach (var transport in transports)
        {
            options.Transports.Add(transport);
        }

        options.Tls.CaCertificates.AddRange(_options.CaCertificates);
        return options;
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The server may have gone first; the check already has its answer.
        }
    }
}
