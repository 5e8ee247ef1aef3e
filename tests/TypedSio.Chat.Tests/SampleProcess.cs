using System.Diagnostics;
using TypedSio.Testing;

namespace TypedSio.Chat.Tests;

/// <summary>
/// A chat sample (Chat.Server or Chat.Client) run as its own process from its build output, with stdout kept in a
/// <see cref="LineLog"/>. Disposing kills the process tree.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly Process _process;

    private SampleProcess(Process process) => _process = process;

    public LineLog Output { get; } = new();

    public LineLog Errors { get; } = new();

    public static string AssemblyPath(string project) =>
        Path.Combine(RepositoryPaths.Root, "samples", "Chat", project, "bin", Configuration, "net10.0", project + ".dll");

    /// <summary>Starts Chat.Server on a free port and waits until it prints its URL.</summary>
    public static async Task<(SampleProcess Process, Uri Url)> StartServerAsync()
    {
        var server = Start("Chat.Server", ["--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            const string Prefix = "Chat server listening on ";
            var line = await server.Output.WaitForAsync(l => l.StartsWith(Prefix, StringComparison.Ordinal), "the server's URL");
            return (server, new Uri(line[Prefix.Length..]));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static SampleProcess Start(string project, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AssemblyPath(project));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                sample.Output.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                sample.Errors.Add(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
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
            // never started or already gone
        }
        finally
        {
            _process.Dispose();
        }
    }
}
