using System.Net;
using System.Text;
using TypedSio.EngineIO;

namespace TypedSio.Doctor.Diagnosis;

/// <summary>
/// Runs the troubleshooting guide against one endpoint, check by check, each building on what the earlier ones found:
/// URL, DNS, TCP, TLS, the Engine.IO handshake and session, the protocol version, WebSocket and the upgrade, CORS,
/// the Socket.IO namespace and the heartbeat. A check that cannot run because an earlier one failed is skipped with why.
/// </summary>
internal sealed partial class EndpointDoctor : IDisposable
{
    private readonly DoctorOptions _options;
    private readonly ExchangeLog _log;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private DoctorTarget _target = null!;
    private string? _stopReason;

    // What earlier checks learned, for the later ones.
    private EngineIOHandshake? _handshake;
    private EngineIOErrorCode? _pollingRefusal;
    private bool _websocketWorks;

    private EndpointDoctor(DoctorOptions options, ExchangeLog log)
    {
        _options = options;
        _log = log;
        _handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.StepTimeout,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.Zero,
        };

        // The same trust rules as the TLS check: the system's roots plus --ca, never "accept anything".
        _handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            CertificateTrust.Evaluate(certificate, chain, errors, _options.CaCertificates).Trusted;
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = options.StepTimeout };
    }

    /// <summary>Diagnoses an endpoint.</summary>
    /// <param name="options">What to diagnose.</param>
    /// <param name="onStarting">Called with a check's title before it runs (for a progress indicator).</param>
    /// <param name="onResult">Called with each result as soon as it is known.</param>
    /// <param name="log">Where the exchange is recorded; a new one when null.</param>
    /// <param name="cancellationToken">Stops the diagnosis.</param>
    /// <returns>The report.</returns>
    public static async Task<DiagnosisReport> RunAsync(
        DoctorOptions options,
        Action<string>? onStarting = null,
        Action<CheckResult>? onResult = null,
        ExchangeLog? log = null,
        CancellationToken cancellationToken = default)
    {
        log ??= new ExchangeLog();
        using var doctor = new EndpointDoctor(options, log);
        var results = new List<CheckResult>();
        (string Id, string Title, Func<CancellationToken, Task<CheckResult>> Run)[] checks =
        [
            ("url", "URL", _ => Task.FromResult(doctor.CheckUrl())),
            ("dns", "DNS", doctor.CheckDnsAsync),
            ("tcp", "TCP", doctor.CheckTcpAsync),
            ("tls", "TLS", doctor.CheckTlsAsync),
            ("handshake", "Engine.IO handshake", doctor.CheckHandshakeAsync),
            ("session", "Session", doctor.CheckSessionAsync),
            ("protocol", "Protocol version", doctor.CheckProtocolVersionAsync),
            ("websocket", "WebSocket", doctor.CheckWebSocketAsync),
            ("upgrade", "Upgrade", doctor.CheckUpgradeAsync),
            ("cors", "CORS", doctor.CheckCorsAsync),
            ("namespace", "Socket.IO", doctor.CheckNamespaceAsync),
            ("heartbeat", "Heartbeat", doctor.CheckHeartbeatAsync),
        ];
        try
        {
            foreach (var (id, title, run) in checks)
            {
                onStarting?.Invoke(title);
                CheckResult result;
                if (doctor._stopReason is { } reason)
                {
                    result = new CheckResult(id, title, CheckVerdict.Skip, "skipped: " + reason);
                }
                else
                {
                    try
                    {
                        result = await run(cancellationToken);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        // A check that breaks must not hide the results of the others; it reports itself as failed.
                        result = new CheckResult(id, title, CheckVerdict.Fail, $"the check could not finish: {exception.GetType().Name}: {exception.Message}")
                        {
                            Cause = "an answer the doctor did not expect.",
                            Fix = "run again with --verbose and look at the exchange.",
                        };
                    }
                }

                results.Add(result);
                onResult?.Invoke(result);
            }
        }
        finally
        {
            await doctor.DisposeSessionAsync();
        }

        return new DiagnosisReport(doctor._target?.EndpointUri.ToString() ?? options.Url, results, log.Lines);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private void StopAfter(string reason) => _stopReason ??= reason;

    private CheckResult CheckUrl()
    {
        if (!DoctorTarget.TryParse(_options.Url, _options.Path, _options.Namespace, out var target, out var problem, out var notes))
        {
            StopAfter("the URL could not be read.");
            return new CheckResult("url", "URL", CheckVerdict.Fail, problem)
            {
                Cause = "a typo in the URL.",
                Fix = "pass the server's address as a client would: http(s)://host[:port][/namespace], e.g. https://example.com/chat.",
            };
        }

        _target = target!;
        var details = new List<KeyValuePair<string, string>>
        {
            new("endpoint", _target.EndpointUri.ToString()),
            new("path", _target.Path),
            new("namespace", _target.Namespace),
        };
        details.AddRange(notes.Select(n => new KeyValuePair<string, string>("note", n)));
        return new CheckResult("url", "URL", CheckVerdict.Pass, $"{_target.EndpointUri} namespace {_target.Namespace}") { Details = details };
    }

    private async Task<HttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _log.Add("http", $"{request.Method} {request.RequestUri}{FormatHeaders(request.Headers)}");
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        var answer = new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, headers);
        _log.Add("http", $"{answer.Status} {answer.ContentType} {Shorten(body)}{FormatHeaders(response.Headers)}");
        return answer;
    }

    private Task<HttpAnswer> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        return SendAsync(request, cancellationToken);
    }

    private static string FormatHeaders(System.Net.Http.Headers.HttpHeaders headers)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in headers)
        {
            text.Append(" | ").Append(name).Append(": ").Append(string.Join(", ", values));
        }

        return text.ToString();
    }

    internal static string Shorten(string text, int max = 160)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max), "…");
    }

    /// <summary>A response read whole: the checks look at status, type, body and headers.</summary>
    private sealed record HttpAnswer(
        int Status,
        string? ContentType,
        string Body,
        IReadOnlyDictionary<string, string> Headers)
    {
        public bool IsSuccess => Status is >= 200 and < 300;

        public bool LooksLikeHtml => ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true
            && Body.TrimStart().StartsWith('<');

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }
}
