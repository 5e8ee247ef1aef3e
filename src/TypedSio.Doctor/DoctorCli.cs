using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Spectre.Console;
using TypedSio.Doctor.Diagnosis;
using TypedSio.Doctor.Output;

namespace TypedSio.Doctor;

/// <summary>The <c>typedsio</c> command line. Exit codes: 0 healthy, 1 a check failed, 2 invalid arguments.</summary>
internal static class DoctorCli
{
    public const int Healthy = 0;
    public const int Unhealthy = 1;
    public const int InvalidArguments = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken = default)
    {
        var url = new Argument<string>("url") { Description = "The Socket.IO server, as a client would be given it: http(s)://host[:port][/namespace]." };
        var path = new Option<string?>("--path") { Description = "The Engine.IO path (the server's 'path' option). Default /socket.io/." };
        var nsp = new Option<string?>("--namespace", "-n") { Description = "The namespace to connect to. Default: the URL's path, else /." };
        var auth = new Option<string?>("--auth") { Description = "The CONNECT auth payload as a JSON object, e.g. '{\"token\":\"abc\"}'." };
        var origin = new Option<string?>("--origin") { Description = "Check whether a browser page on this origin may connect (CORS), e.g. https://app.example.com." };
        var ca = new Option<FileInfo?>("--ca") { Description = "A CA certificate (PEM or DER) to trust in addition to the system's, e.g. for a self-signed server." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON report." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every request and response, like the debug logs." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one network step may take.", DefaultValueFactory = _ => 10 };
        var heartbeats = new Option<int>("--heartbeats") { Description = "How many server pings to stay connected for (0 skips the heartbeat check).", DefaultValueFactory = _ => 2 };

        var doctor = new Command("doctor", "Diagnose a Socket.IO endpoint: DNS, TCP, TLS, the Engine.IO handshake, protocol version, WebSocket, CORS, namespace and heartbeat.")
        {
            url, path, nsp, auth, origin, ca, json, verbose, timeout, heartbeats,
        };
        var root = new RootCommand("typedsio: tools for TypedSio and Socket.IO.") { doctor };

        doctor.SetAction(async (result, token) =>
        {
            if (!TryBuildOptions(result, out var options, out var problem))
            {
                await error.WriteLineAsync("typedsio doctor: " + problem);
                return InvalidArguments;
            }

            return await DiagnoseAsync(options!, result.GetValue(json), result.GetValue(verbose), output, interactive, token);

            bool TryBuildOptions(ParseResult parsed, out DoctorOptions? built, out string message)
            {
                built = null;
                message = string.Empty;
                var authJson = parsed.GetValue(auth);
                if (authJson is not null && !IsJsonObject(authJson))
                {
                    message = "--auth must be a JSON object, e.g. '{\"token\":\"abc\"}'.";
                    return false;
                }

                var originValue = parsed.GetValue(origin);
                if (originValue is not null && (!Uri.TryCreate(originValue, UriKind.Absolute, out var originUri) || originUri.Scheme is not ("http" or "https")))
                {
                    message = "--origin must be an origin such as https://app.example.com.";
                    return false;
                }

                var roots = new X509Certificate2Collection();
                if (parsed.GetValue(ca) is { } file && !TryLoadCertificates(file, roots, out message))
                {
                    return false;
                }

                if (parsed.GetValue(timeout) is < 1 or > 600 || parsed.GetValue(heartbeats) is < 0 or > 10)
                {
                    message = "--timeout takes 1 to 600 seconds and --heartbeats 0 to 10.";
                    return false;
                }

                built = new DoctorOptions
                {
                    Url = parsed.GetValue(url)!,
                    Path = parsed.GetValue(path),
                    Namespace = parsed.GetValue(nsp),
                    AuthJson = authJson,
                    Origin = originValue?.TrimEnd('/'),
                    CaCertificates = roots,
                    StepTimeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                    Heartbeats = parsed.GetValue(heartbeats),
                };
                return true;
            }
        });

        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        var exit = await parse.InvokeAsync(invocation, cancellationToken);
        return parse.Errors.Count > 0 ? InvalidArguments : exit;
    }

    private static async Task<int> DiagnoseAsync(DoctorOptions options, bool json, bool verbose, TextWriter output, bool interactive, CancellationToken cancellationToken)
    {
        var log = new ExchangeLog();
        if (json)
        {
            var report = await EndpointDoctor.RunAsync(options, log: log, cancellationToken: cancellationToken);
            await output.WriteLineAsync(JsonReport.Write(report, verbose));
            return report.Healthy ? Healthy : Unhealthy;
        }

        var console = CreateConsole(output, interactive);
        var view = new ConsoleReport(console, verbose);
        view.Header(options);

        // The engine logs from its own threads; lines are queued and printed in order before each check's verdict.
        var pending = new System.Collections.Concurrent.ConcurrentQueue<string>();
        if (verbose)
        {
            log.LineAdded += pending.Enqueue;
        }

        void Show(CheckResult check)
        {
            while (pending.TryDequeue(out var line))
            {
                view.Exchange(line);
            }

            view.Write(check);
        }

        DiagnosisReport result;
        if (interactive)
        {
            result = await console.Status().Spinner(Spinner.Known.Dots).StartAsync("Checking…", context =>
                EndpointDoctor.RunAsync(options, title => context.Status($"Checking {title}…"), Show, log, cancellationToken));
        }
        else
        {
            result = await EndpointDoctor.RunAsync(options, onResult: Show, log: log, cancellationToken: cancellationToken);
        }

        view.Footer(result);
        await console.Profile.Out.Writer.FlushAsync(cancellationToken);
        return result.Healthy ? Healthy : Unhealthy;
    }

    private static IAnsiConsole CreateConsole(TextWriter output, bool interactive)
    {
        if (interactive)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(new TrimmingWriter(output)),
        });

        // A file or a pipe has no width: keep each line whole rather than wrapped at 80 columns.
        console.Profile.Width = 4096;
        return console;
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryLoadCertificates(FileInfo file, X509Certificate2Collection roots, out string message)
    {
        message = string.Empty;
        try
        {
            var bytes = File.ReadAllBytes(file.FullName);
            if (System.Text.Encoding.ASCII.GetString(bytes).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                roots.ImportFromPemFile(file.FullName);
            }
            else
            {
                roots.Add(X509CertificateLoader.LoadCertificate(bytes));
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            message = $"--ca {file.Name}: {exception.Message}";
            return false;
        }
    }
}
