using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TypedSio.Testing;

/// <summary>
/// A redis-server on a free 127.0.0.1 port, without persistence, owned by one test: disposing kills it by its PID.
/// <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> simulate an outage on the same port.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private Process? _process;

    private RedisServerProcess(int port) => Port = port;

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>A redis:// URL for Node clients.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static async Task<RedisServerProcess> StartAsync()
    {
        await NodeProcess.EnsureNpmPackagesAsync();
        var server = new RedisServerProcess(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            // redis-server logs this line once it listens.
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
            else if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("redis-server exited: " + output));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        if (!await PingAsync(CancellationToken.None))
        {
            throw new InvalidOperationException("redis-server does not answer PING: " + output);
        }
    }

    /// <summary>Kills the server (an outage); the port stays reserved for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            finally
            {
                process.Dispose();
            }
        }
    }

    /// <summary>Kills the server.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"), cancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
