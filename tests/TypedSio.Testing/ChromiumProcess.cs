using System.Diagnostics;

namespace TypedSio.Testing;

/// <summary>A headless Chromium, killed with its whole process tree on dispose.</summary>
public sealed class ChromiumProcess : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private readonly Process _process;
    private readonly string _profile;
    private readonly TaskCompletionSource<Uri> _devTools = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChromiumProcess(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The Chromium executable: TYPEDSIO_CHROMIUM, or the first of the usual install paths that exists.</summary>
    public static string? FindExecutable() =>
        Environment.GetEnvironmentVariable("TYPEDSIO_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);

    /// <summary>Starts headless Chromium on a page.</summary>
    /// <param name="url">The page.</param>
    public static ChromiumProcess Start(string url) => Launch([url]);

    /// <summary>
    /// Starts headless Chromium on a blank page with the DevTools protocol on a port of its choosing, and waits until it
    /// says where (see <see cref="DevToolsPage"/> to drive a page).
    /// </summary>
    /// <returns>The browser, and the DevTools HTTP endpoint (e.g. <c>http://127.0.0.1:PORT/</c>).</returns>
    public static async Task<(ChromiumProcess Browser, Uri DevTools)> StartWithDevToolsAsync()
    {
        var browser = Launch(["--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank"]);
        try
        {
            var endpoint = await browser._devTools.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return (browser, endpoint);
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private static ChromiumProcess Launch(string[] extra)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException(
                "Chromium not found (looked for " + string.Join(", ", Candidates) + "; set TYPEDSIO_CHROMIUM to override). Install it with `apt-get install -y chromium` or run tests/setup.sh.");
        var profile = Directory.CreateTempSubdirectory("typedsio-chromium-").FullName;
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var chromium = new ChromiumProcess(process, profile);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/<id>"
            const string Prefix = "DevTools listening on ";
            if (e.Data is { } line && line.StartsWith(Prefix, StringComparison.Ordinal) && Uri.TryCreate(line[Prefix.Length..], UriKind.Absolute, out var ws))
            {
                chromium._devTools.TrySetResult(new Uri($"http://{ws.Authority}/"));
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException("Chromium did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return chromium;
    }

    /// <summary>Kills the process tree and deletes the profile.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
