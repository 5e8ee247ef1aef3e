using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TypedSio.Doctor.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Doctor.Tests;

/// <summary>
/// Packs the tool, installs it with <c>dotnet tool install --tool-path</c> from a local folder feed into an empty package
/// cache (as on a fresh machine), and runs the installed <c>typedsio</c> command.
/// </summary>
public sealed class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string Version = "0.0.0-packagetest";

    private readonly string _work = Directory.CreateTempSubdirectory("typedsio-doctor-package-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedTool_InstalledFromFolderFeed_DiagnosesServers()
    {
        var project = Path.Combine(RepositoryPaths.Root, "src", "TypedSio.Doctor", "TypedSio.Doctor.csproj");
        var feed = Path.Combine(_work, "feed");
        var tools = Path.Combine(_work, "tools");
        var pack = await RunAsync("dotnet", "pack", project, "--no-build", "-c", Configuration, "-o", feed, "-p:PackageVersion=" + Version);
        Assert.True(pack.ExitCode == 0, pack.Output);
        // Only the folder feed: everything the tool needs must be inside its package.
        var config = Path.Combine(_work, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var install = await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", feed, "--version", Version, "TypedSio.Doctor");
        Assert.True(install.ExitCode == 0, install.Output);
        var typedsio = Path.Combine(tools, OperatingSystem.IsWindows() ? "typedsio.exe" : "typedsio");

        await using var server = await TestServer.StartEngineIOAsync();
        var healthy = await RunAsync(typedsio, "doctor", server.Url, "--heartbeats", "1");
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = await RunAsync(typedsio, "doctor", $"http://127.0.0.1:{((IPEndPoint)reserved.LocalEndPoint!).Port}", "--json");

        Assert.True(healthy.ExitCode == 0, healthy.Output);
        Assert.Contains("PASS  Socket.IO", healthy.Output, StringComparison.Ordinal);
        Assert.Equal(1, closed.ExitCode);
        using var json = JsonDocument.Parse(closed.Stdout);
        Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
    }

    private async Task<(int ExitCode, string Output, string Stdout)> RunAsync(string command, params string[] arguments)
    {
        var result = await IsolatedCommand.RunAsync(command, _work, Path.Combine(_work, "packages"), TimeSpan.FromMinutes(5), arguments);
        return (result.ExitCode, result.Output, result.Stdout);
    }
}
