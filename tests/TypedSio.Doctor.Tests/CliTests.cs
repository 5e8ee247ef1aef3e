using System.Text.Json;
using TypedSio.Doctor.Tests.Support;

namespace TypedSio.Doctor.Tests;

/// <summary>The command line: exit codes, plain and JSON output, --ca.</summary>
public sealed class CliTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await DoctorCli.RunAsync(args, output, error, interactive: false);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Doctor_HealthyServer_ExitsZeroWithPlainLines()
    {
        await using var server = await TestServer.StartEngineIOAsync();

        var (exit, output, _) = await RunAsync("doctor", server.Url, "--heartbeats", "1");

        Assert.Equal(DoctorCli.Healthy, exit);
        Assert.Contains("PASS  Engine.IO handshake polling handshake OK", output, StringComparison.Ordinal);
        Assert.Contains("Healthy: a Socket.IO client can connect", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_Json_PrintsMachineReadableReportAndExitsOne()
    {
        await using var server = await TestServer.StartStubAsync(context =>
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });

        var (exit, output, _) = await RunAsync("doctor", server.Url, "--json", "--verbose");

        Assert.Equal(DoctorCli.Unhealthy, exit);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("healthy").GetBoolean());
        var handshake = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "handshake");
        Assert.Equal("fail", handshake.GetProperty("verdict").GetString());
        Assert.Contains("404", handshake.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.NotNull(handshake.GetProperty("fix").GetString());
        Assert.Contains(json.RootElement.GetProperty("exchange").EnumerateArray(), line => line.GetString()!.Contains("GET http://127.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_Verbose_ShowsTheExchange()
    {
        await using var server = await TestServer.StartEngineIOAsync();

        var (exit, output, _) = await RunAsync("doctor", server.Url, "--verbose", "--heartbeats", "0");

        Assert.Equal(DoctorCli.Healthy, exit);
        Assert.Contains("http GET http://127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("socket.io-client -> 0", output, StringComparison.Ordinal);
        Assert.Contains("engine.io-client:engine", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_CaFile_TrustsSelfSignedServer()
    {
        await using var server = await TestServer.StartEngineIOAsync(certificate: SelfSigned.Certificate);
        var file = Path.Combine(Path.GetTempPath(), $"doctor-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(file, SelfSigned.Public.ExportCertificatePem());
        try
        {
            var (without, plain, _) = await RunAsync("doctor", server.Url, "--heartbeats", "0");
            var (with, trusted, _) = await RunAsync("doctor", server.Url, "--ca", file, "--heartbeats", "0");

            Assert.Equal(DoctorCli.Unhealthy, without);
            Assert.Contains("FAIL  TLS", plain, StringComparison.Ordinal);
            Assert.Equal(DoctorCli.Healthy, with);
            Assert.Contains("PASS  TLS                 trusted through --ca", trusted, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("doctor")]
    [InlineData("doctor", "http://127.0.0.1:1", "--auth", "[1]")]
    [InlineData("doctor", "http://127.0.0.1:1", "--origin", "not an origin")]
    [InlineData("doctor", "http://127.0.0.1:1", "--ca", "/nonexistent/ca.pem")]
    [InlineData("doctor", "http://127.0.0.1:1", "--unknown")]
    public async Task Doctor_InvalidArguments_ExitsTwo(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(DoctorCli.InvalidArguments, exit);
        Assert.NotEmpty(error);
    }
}
