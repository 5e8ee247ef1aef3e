using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace TypedSio.Testing;

/// <summary>
/// A Node.js script from tests/js run as a child process. The script prints a line to stdout when it is ready; every
/// line it prints is kept so tests can wait for the ones they expect. Disposing kills the process tree, so no test
/// leaks a process even when it fails.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static bool _setupDone;

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _history = new();

    private NodeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
                return;
            }

            lock (_history)
            {
                _history.Add(e.Data);
            }

            _lines.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_history)
            {
                return _history.ToArray();
            }
        }
    }

    /// <summary>Makes sure the npm packages under tests/js are installed (runs tests/setup.sh once per test run).</summary>
    public static async Task EnsureNpmPackagesAsync()
    {
        await SetupLock.WaitAsync();
        try
        {
            if (_setupDone)
            {
                return;
            }

            var setup = Path.Combine(RepositoryPaths.Root, "tests", "setup.sh");
            using var process = Process.Start(new ProcessStartInfo("bash", [setup])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"tests/setup.sh failed ({process.ExitCode}): {await stdout}{await stderr}");
            }

            _setupDone = true;
        }
        finally
        {
            SetupLock.Release();
        }
    }

    /// <summary>Starts <c>node tests/js/{script} {args}</c> and waits for a stdout line starting with <paramref name="readyPrefix"/>.</summary>
    /// <param name="script">The script's file name under tests/js.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="readyPrefix">The start of the line the script prints once it is ready; null to not wait.</param>
    /// <param name="environment">Extra environment variables.</param>
    public static async Task<NodeProcess> StartAsync(
        string script,
        IEnumerable<string>? args = null,
        string? readyPrefix = "READY",
        IReadOnlyDictionary<string, string>? environment = null)
    {
        await EnsureNpmPackagesAsync();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.JsFixtures,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.JsFixtures, script));
        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var node = new NodeProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (readyPrefix is not null)
        {
            try
            {
                await node.WaitForLineAsync(line => line.StartsWith(readyPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }
        }

        return node;
    }

    /// <summary>Waits for the next stdout line matching a predicate (lines before it are consumed).</summary>
    /// <param name="predicate">Which line to wait for.</param>
    /// <param name="timeout">How long to wait before failing.</param>
    public Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = timeout ?? TimeSpan.FromSeconds(20);
        return Task.Run(() =>
        {
            using var cts = new CancellationTokenSource(deadline);
            try
            {
                foreach (var line in _lines.GetConsumingEnumerable(cts.Token))
                {
                    if (predicate(line))
                    {
                        return line;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching line from node within {deadline}. stdout: {string.Join(" | ", Output)} stderr: {StandardError}");
            }

            throw new InvalidOperationException($"node exited before printing the expected line. stdout: {string.Join(" | ", Output)} stderr: {StandardError}");
        });
    }

    /// <summary>Writes a line to the script's stdin (scripts that take commands read them line by line).</summary>
    /// <param name="line">The line.</param>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Kills the process tree and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        finally
        {
            _process.Dispose();
        }
    }
}
