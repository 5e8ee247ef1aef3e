using System.Diagnostics;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>A headless Chromium showing one page, killed with its whole process tree on dispose.</summary>
internal sealed class ChromiumProcess : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private readonly Process _process;
    private readonly string _profile;

    private ChromiumProcess(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string? FindExecutable() =>
        Environment.GetEnvironmentVariable("TYPEDSIO_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);

    public static ChromiumProcess Start(string url)
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
            "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile, url,
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Chromium did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChromiumProcess(process, profile);
    }

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
