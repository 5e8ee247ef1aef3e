using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using TypedSio.Client;
using TypedSio.SocketIO;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private EngineIOClient? _session;
    private long _sessionOpenedAt;
    private readonly Channel<long> _pings = Channel.CreateUnbounded<long>();
    private readonly TaskCompletionSource<EngineIOClosedEventArgs> _sessionClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<CheckResult> CheckNamespaceAsync(CancellationToken cancellationToken)
    {
        const string Id = "namespace", Title = "Socket.IO";
        EngineIOTransportKind[] transports = _handshake is not null ? [EngineIOTransportKind.Polling, EngineIOTransportKind.WebSocket]
            : _websocketWorks ? [EngineIOTransportKind.WebSocket]
            : [];
        if (transports.Length == 0)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "no transport opened an Engine.IO session");
        }

        var client = _session = new EngineIOClient(CreateClientOptions(transports, upgrade: _websocketWorks));
        var messages = Channel.CreateUnbounded<string>();
        client.MessageReceived += (_, e) =>
        {
            if (!e.IsBinary)
            {
                messages.Writer.TryWrite(e.Text!);
            }
        };
        client.Heartbeat += (_, _) => _pings.Writer.TryWrite(Stopwatch.GetTimestamp());
        client.Closed += (_, e) => _sessionClosed.TrySetResult(e);
        try
        {
            await client.OpenAsync(cancellationToken);
        }
        catch (ConnectErrorException error)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"the Engine.IO client could not open a session: {error.GetType().Name}")
            {
                Cause = error.Message,
                Fix = "see the checks above.",
            };
        }

        _sessionOpenedAt = Stopwatch.GetTimestamp();
        using var auth = _options.AuthJson is { } json ? JsonDocument.Parse(json) : null;
        var connect = SocketIOPacket.CreateConnect(_target.Namespace, auth?.RootElement).ToString();
        _log.Add("socket.io-client", $"-> {connect}");
        var sent = Stopwatch.GetTimestamp();
        await client.SendAsync(connect, cancellationToken);
        var decoder = new SocketIODecoder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StepTimeout);
        try
        {
            while (true)
            {
                var next = messages.Reader.ReadAsync(timeout.Token).AsTask();
                if (await Task.WhenAny(next, _sessionClosed.Task) != next && !next.IsCompleted)
                {
                    var closed = await _sessionClosed.Task;
                    return new CheckResult(Id, Title, CheckVerdict.Fail, $"the session closed before the reply to CONNECT ({closed.Reason}{(closed.Exception is null ? "" : ": " + closed.Exception.Message)})")
                    {
                        Cause = "the server closed the Engine.IO session instead of answering the namespace request: not a Socket.IO server, or one that drops the connection on CONNECT.",
                        Fix = "check the server's logs for the connection and that it is a Socket.IO v3/v4 server.",
                    };
                }

                var text = await next;
                _log.Add("socket.io-client", $"<- {Shorten(text)}");
                if (!decoder.TryDecodeText(text, out var packet, out var error))
                {
                    return new CheckResult(Id, Title, CheckVerdict.Fail, $"the server sent an undecodable Socket.IO packet ({error}): \"{Shorten(text, 60)}\"")
                    {
                        Cause = "the server is not a Socket.IO v3/v4 server (a plain Engine.IO server, or another protocol on top of it).",
                        Fix = "check the server's Socket.IO version.",
                    };
                }

                if (packet is null || packet.Namespace != _target.Namespace)
                {
                    continue;
                }

                var roundTrip = Stopwatch.GetElapsedTime(sent);
                if (packet.Type == SocketIOPacketType.Connect)
                {
                    var sid = ReadString(packet.PayloadText, "sid");
                    return new CheckResult(Id, Title, CheckVerdict.Pass,
                        $"connected to namespace {_target.Namespace} (sid {sid ?? "-"}, over {client.Transport?.ToString().ToLowerInvariant()}, {roundTrip.TotalMilliseconds:0} ms)")
                    {
                        Details = [new("namespace", _target.Namespace), new("sid", sid ?? "-"), new("connect round trip", Ms(roundTrip))],
                    };
                }

                if (packet.Type == SocketIOPacketType.ConnectError)
                {
                    return Refused(packet.PayloadText);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CheckResult(Id, Title, CheckVerdict.Fail, $"no answer to CONNECT {_target.Namespace} within {_options.StepTimeout.TotalSeconds:0} s")
            {
                Cause = "an Engine.IO server without Socket.IO on top of it (e.g. the engine.io package alone), or a server whose namespace handler hangs (an async middleware that never calls next()).",
                Fix = "check that the server is a Socket.IO v3/v4 server and that every middleware calls next() or next(err).",
            };
        }
    }

    private CheckResult Refused(string payload)
    {
        const string Id = "namespace", Title = "Socket.IO";
        var message = ReadString(payload, "message") ?? payload;
        string? data = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var value))
            {
                data = value.GetRawText();
            }
        }
        catch (JsonException)
        {
            // A v2-style string payload carries the message only.
        }

        var refused = new NamespaceRefusedException(_target.Namespace, message);
        var details = new List<KeyValuePair<string, string>> { new("namespace", _target.Namespace), new("message", message) };
        if (data is not null)
        {
            details.Add(new("data", data));
        }

        var invalid = message == "Invalid namespace";
        return new CheckResult(Id, Title, CheckVerdict.Fail,
            $"CONNECT_ERROR for {_target.Namespace}: \"{message}\"" + (data is null ? "" : $" data {Shorten(data, 120)}"))
        {
            Cause = invalid
                ? "no namespace with this name exists on the server (io.of(...)), or the namespace is misspelled (the URL's path is the namespace)."
                : "a middleware (io.use / namespace.use) refused the connection with next(new Error(...))" + (data is null ? "." : "; its err.data is shown above."),
            Fix = invalid
                ? "use a namespace the server registers (--namespace), or register it on the server."
                : "send what the middleware checks (--auth '{\"token\":\"...\"}' is the client's auth option), or look at the middleware's condition.",
            Details = [.. details, new("error", refused.GetType().Name)],
        };
    }

    private async Task<CheckResult> CheckHeartbeatAsync(CancellationToken cancellationToken)
    {
        const string Id = "heartbeat", Title = "Heartbeat";
        if (_session?.Handshake is not { } handshake || _session.ReadyState != EngineIOReadyState.Open)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "no open session");
        }

        if (_options.Heartbeats <= 0)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "skipped (--heartbeats 0)");
        }

        var gaps = new List<TimeSpan>();
        var previous = _sessionOpenedAt;
        var allowance = handshake.PingInterval + handshake.PingTimeout + _options.StepTimeout;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        for (var i = 0; i < _options.Heartbeats; i++)
        {
            var ping = _pings.Reader.ReadAsync(cancellationToken).AsTask();
            var winner = await Task.WhenAny(ping, _sessionClosed.Task, Task.Delay(allowance, stop.Token));
            cancellationToken.ThrowIfCancellationRequested();
            if (winner != ping)
            {
                var reason = winner == _sessionClosed.Task ? _sessionClosed.Task.Result.Reason : "no ping";
                return new CheckResult(Id, Title, CheckVerdict.Fail,
                    $"the connection did not survive the heartbeat: {reason} after {i} of {_options.Heartbeats} pings (pingInterval {Ms(handshake.PingInterval)}, pingTimeout {Ms(handshake.PingTimeout)})")
                {
                    Cause = "a proxy that buffers responses or closes idle connections sooner than pingInterval + pingTimeout, or a server whose event loop is blocked.",
                    Fix = "raise the proxy's read/idle timeouts above pingInterval + pingTimeout (nginx proxy_read_timeout), disable response buffering on the Socket.IO path, and look for blocking work in the server.",
                };
            }

            var at = await ping;
            gaps.Add(Stopwatch.GetElapsedTime(previous, at));
            previous = at;
        }

        // The client's own watchdog closes the session when pings stop, so the last timer is only a safety net.
        await stop.CancelAsync();

        // The server sends the next ping pingInterval after it got the pong, so the gap beyond pingInterval is the round trip.
        var roundTrips = gaps.Skip(1).Select(g => g - handshake.PingInterval).Where(t => t >= TimeSpan.Zero).ToList();
        var latency = roundTrips.Count > 0 ? $"round trip ≈ {Ms(TimeSpan.FromTicks((long)roundTrips.Average(t => t.Ticks)))} (ping gap - pingInterval)" : "one ping received";
        return new CheckResult(Id, Title, CheckVerdict.Pass,
            $"stayed connected for {_options.Heartbeats} ping{(_options.Heartbeats == 1 ? "" : "s")} ({string.Join(", ", gaps.Select(g => Ms(g)))} apart); {latency}")
        {
            Details = [new("pings", _options.Heartbeats.ToString(CultureInfo.InvariantCulture)), new("gaps", string.Join(", ", gaps.Select(g => Ms(g))))],
        };
    }

    private async Task DisposeSessionAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }

    private static string? ReadString(string json, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
