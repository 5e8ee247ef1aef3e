using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TypedSio.Benchmarks.Load;

/// <summary>How to start one server under test.</summary>
/// <param name="Name">Its name in reports ("ours", "node", "echo").</param>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments; <c>{port}</c> is replaced by the port.</param>
/// <param name="WorkingDirectory">Where it runs.</param>
internal sealed record ServerSpec(string Name, string FileName, string Arguments, string WorkingDirectory);

/// <summary>
/// A server under test: started pinned to one core with <c>taskset</c>, read from <c>/proc</c> for CPU time and RSS,
/// and stopped by its process id.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly double s_ticksPerSecond = 100; // USER_HZ on Linux
    private readonly Process _process;

    private ServerProcess(Process process, int port, TimeSpan startup)
    {
        _process = process;
        Port = port;
        StartupTime = startup;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>From starting the process to its first accepted Socket.IO connection.</summary>
    public TimeSpan StartupTime { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static async Task<ServerProcess> StartAsync(ServerSpec spec, string cpu)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("taskset", $"-c {cpu} {spec.FileName} {spec.Arguments.Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)}")
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);

        // compare.sh tunes the tool's own socket completions; the servers under test run with the runtime's defaults.
        info.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + spec.FileName);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[{spec.Name}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port, TimeSpan.Zero);
        var endPoint = server.EndPoint;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{spec.Name} exited with {process.ExitCode} before accepting a connection");
            }

            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var probe = await WsConnection.ConnectAsync(endPoint, 4096, cts.Token).ConfigureAwait(false);
                return new ServerProcess(process, port, clock.Elapsed);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    server.Dispose();
                    throw new TimeoutException($"{spec.Name} did not accept a connection within 30 s");
                }

                await Task.Delay(2).ConfigureAwait(false);
            }
        }
    }

    /// <summary>User plus system CPU time so far.</summary>
    public TimeSpan CpuTime => ReadCpu(_process.Id);

    /// <summary>Resident set size now, in bytes.</summary>
    public long Rss => ReadRss(_process.Id);

    public static TimeSpan ReadCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / s_ticksPerSecond);
    }

    public static long ReadRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        // taskset execs the server, so this id is the server's own; stop it politely, then for good.
        try
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", $"-TERM {_process.Id}")?.WaitForExit();
                if (!_process.WaitForExit(3000))
                {
                    _process.Kill();
                    _process.WaitForExit(3000);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
