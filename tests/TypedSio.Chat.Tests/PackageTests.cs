using TypedSio.Testing;

namespace TypedSio.Chat.Tests;

/// <summary>
/// Packs TypedSio, TypedSio.Server and TypedSio.Client from the built outputs, then builds and runs a fresh project that
/// restores only TypedSio.Server and TypedSio.Client from a local folder feed (TypedSio and its generator come with
/// them): a contract, a hub and a client in one process make a typed round trip.
/// </summary>
public sealed class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string Version = "0.0.0-chatpackagetest";

    private readonly string _work = Directory.CreateTempSubdirectory("typedsio-packages-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedPackages_FreshProjectWithHubAndClient_TypedRoundTrip()
    {
        var feed = Path.Combine(_work, "feed");
        foreach (var package in new[] { "TypedSio", "TypedSio.Server", "TypedSio.Client" })
        {
            var project = Path.Combine(RepositoryPaths.Root, "src", package, package + ".csproj");
            var (packed, packOutput) = await DotnetAsync(_work, "pack", project, "--no-build", "-c", Configuration, "-o", feed, "-p:PackageVersion=" + Version);
            Assert.True(packed == 0, packOutput);
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{Version}.snupkg")), packOutput);
        }

        var sample = WriteSample();
        var (exitCode, output) = await DotnetAsync(sample, "run");

        Assert.True(exitCode == 0, output);
        Assert.Contains("ECHO hi! 010203 HEARD hey", output, StringComparison.Ordinal);
    }

    private string WriteSample()
    {
        var directory = Path.Combine(_work, "sample");
        Directory.CreateDirectory(directory);
        // Framework and SDK packages come from the machine's cache, which building the repository filled; only the
        // TypedSio packages land in the private cache, from the local feed.
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Path.Combine(_work, "feed")}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{machineCache}" />
              </fallbackPackageFolders>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="TypedSio" /><package pattern="TypedSio.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <IsAotCompatible>true</IsAotCompatible>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TypedSio.Server" Version="{Version}" />
                <PackageReference Include="TypedSio.Client" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using System.Text.Json.Serialization;
            using Microsoft.AspNetCore.Hosting.Server;
            using Microsoft.AspNetCore.Hosting.Server.Features;
            using TypedSio;
            using TypedSio.Client;
            using TypedSio.Hubs;
            using TypedSio.Server.Hubs;
            using TypedSio.Server.SocketIO;
            using TypedSio.SocketIO;

            var builder = WebApplication.CreateSlimBuilder(args);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSocketIO();
            var app = builder.Build();
            app.MapSocketIO().MapHub<EchoHub>("/");
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            await using (var io = new SocketIOManager(new Uri(url)))
            {
                var socket = io.Socket("/");
                var receiver = new Receiver();
                using var receiving = socket.Register<IEchoClient>(receiver);
                var server = socket.CreateProxy<IEchoServer>(TimeSpan.FromSeconds(60));
                await socket.ConnectAsync();
                var reply = await server.Echo(new Note("hi", [1, 2, 3]), CancellationToken.None);
                await server.Shout("hey");
                var heard = await receiver.Heard.Task.WaitAsync(TimeSpan.FromSeconds(60));
                Console.WriteLine($"ECHO {reply.Text} {Convert.ToHexString(reply.Data)} HEARD {heard}");
            }

            await app.StopAsync();

            public sealed record Note(string Text, byte[] Data);

            [SocketContractSerializer(typeof(EchoJson))]
            public interface IEchoServer
            {
                Task<Note> Echo(Note note, CancellationToken cancellationToken);

                [SocketEvent("shout out")]
                Task Shout(string text);
            }

            [SocketContractSerializer(typeof(EchoJson))]
            public interface IEchoClient
            {
                Task Heard(string text);
            }

            [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(SocketIOBinaryConverter)])]
            [JsonSerializable(typeof(Note))]
            public sealed partial class EchoJson : JsonSerializerContext;

            public sealed partial class EchoHub : SocketHub<IEchoClient>, IEchoServer
            {
                public Task<Note> Echo(Note note, CancellationToken cancellationToken) => Task.FromResult(note with { Text = note.Text + "!" });

                public Task Shout(string text) => Clients.All.Heard(text);
            }

            internal sealed class Receiver : IEchoClient
            {
                public TaskCompletionSource<string> Heard { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

                Task IEchoClient.Heard(string text)
                {
                    Heard.TrySetResult(text);
                    return Task.CompletedTask;
                }
            }
            """);
        return directory;
    }

    private async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var result = await IsolatedCommand.RunAsync("dotnet", workingDirectory, Path.Combine(_work, "packages"), TimeSpan.FromMinutes(10), arguments);
        return (result.ExitCode, result.Output);
    }
}
