using TypedSio.Testing;

namespace TypedSio.Generators.Tests;

/// <summary>
/// Packs the TypedSio package from the built outputs and builds samples against it from a local folder feed, with a
/// private package cache: proves the generator loads from <c>analyzers/dotnet/cs</c> and the props reach it.
/// </summary>
public sealed class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string Version = "0.0.0-packagetest";

    private readonly string _work = Directory.CreateTempSubdirectory("typedsio-package-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackedPackage_SampleWithJsonContext_GeneratesAProxyThatRuns()
    {
        await PackAsync();
        var sample = WriteSample("ok", aotCompatible: false, """
            using System.Text.Json.Serialization;
            using TypedSio;
            using TypedSio.Hubs;
            using TypedSio.SocketIO;

            await new ConsoleEmitter().CreateProxy<IApi>().Send("room", new Message("hi"));

            public sealed record Message(string Text);

            [SocketContractSerializer(typeof(ApiJson))]
            public interface IApi { Task Send(string room, Message message); }

            [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
            [JsonSerializable(typeof(Message))]
            internal sealed partial class ApiJson : JsonSerializerContext;

            internal sealed class ConsoleEmitter : ISocketIOEmitter
            {
                public Task EmitAsync(SocketIOPacket eventPacket, CancellationToken cancellationToken)
                {
                    Console.WriteLine(eventPacket);
                    return Task.CompletedTask;
                }

                public Task<SocketIOArguments> EmitWithAckAsync(SocketIOPacket eventPacket, TimeSpan? timeout, CancellationToken cancellationToken) =>
                    throw new NotSupportedException();
            }
            """);

        var (exitCode, output) = await DotnetAsync(sample, "run");

        Assert.True(exitCode == 0, output);
        Assert.Contains("""2["send","room",{"text":"hi"}]""", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackedPackage_AotCompatibleSampleWithoutContext_FailsWithTSIO008()
    {
        await PackAsync();
        var sample = WriteSample("aot", aotCompatible: true, """
            using TypedSio.Hubs;

            public sealed record Message(string Text);

            public interface IApi { Task Send(Message message); }

            public static class Use
            {
                public static IApi Create(ISocketIOEmitter socket) => socket.CreateProxy<IApi>();
            }
            """);

        var (exitCode, output) = await DotnetAsync(sample, "build");

        Assert.True(exitCode != 0 && output.Contains("error TSIO008", StringComparison.Ordinal), output);
    }

    private async Task PackAsync()
    {
        var project = Path.Combine(RepositoryPaths.Root, "src", "TypedSio", "TypedSio.csproj");
        var (exitCode, output) = await DotnetAsync(
            _work, "pack", project, "--no-build", "-c", Configuration, "-o", Path.Combine(_work, "feed"), "-p:PackageVersion=" + Version);
        Assert.True(exitCode == 0, output);
    }

    private string WriteSample(string name, bool aotCompatible, string program)
    {
        var directory = Path.Combine(_work, name);
        Directory.CreateDirectory(directory);
        // SDK packages such as Microsoft.NET.ILLink.Tasks come from the machine's cache, which building the repository
        // filled; only TypedSio itself lands in the private cache.
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
                <packageSource key="local"><package pattern="TypedSio" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Exe</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <IsAotCompatible>{(aotCompatible ? "true" : "false")}</IsAotCompatible>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TypedSio" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return directory;
    }

    private async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var result = await IsolatedCommand.RunAsync("dotnet", workingDirectory, Path.Combine(_work, "packages"), TimeSpan.FromMinutes(5), arguments);
        return (result.ExitCode, result.Output);
    }
}
