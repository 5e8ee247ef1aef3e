using TypedSio.Doctor.Diagnosis;
using TypedSio.Doctor.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Doctor.Tests;

/// <summary>The doctor against the official socket.io server (tests/js/doctor-server.mjs).</summary>
public sealed class NodeServerTests
{
    private static async Task<(NodeProcess Node, string Url)> StartAsync(string config = """{"pingInterval":300,"pingTimeout":5000,"corsOrigin":"https://good.example"}""")
    {
        var port = FreePort.Next();
        var node = await NodeProcess.StartAsync("doctor-server.mjs", [port.ToString(System.Globalization.CultureInfo.InvariantCulture), config]);
        return (node, $"http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task Doctor_ReferenceServer_IsHealthyWithEveryCheck()
    {
        var (node, url) = await StartAsync();
        await using var _ = node;

        var report = await Diagnose.RunAsync(url, origin: "https://good.example", heartbeats: 2);

        Assert.True(report.Healthy, Diagnose.Describe(report));
        foreach (var id in new[] { "handshake", "session", "protocol", "websocket", "upgrade", "cors", "namespace", "heartbeat" })
        {
            report.Verdict(id, CheckVerdict.Pass);
        }

        await node.WaitForLineAsync(line => line.StartsWith("CONNECT / ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_MiddlewareRefusesWithData_ReportsMessageAndData()
    {
        var (node, url) = await StartAsync();
        await using var _ = node;

        var report = await Diagnose.RunAsync(url + "/admin", auth: """{"token":"wrong"}""", heartbeats: 0);

        var check = report.Verdict("namespace", CheckVerdict.Fail);
        check.Says("\"not authorized\"");
        check.Says("middleware");
        Assert.Equal("not authorized", check.Detail("message"));
        Assert.Equal("""{"reason":"token missing","hint":"send auth.token"}""", check.Detail("data"));
        Assert.False(report.Healthy);
    }

    [Fact]
    public async Task Doctor_MiddlewareGetsItsToken_Connects()
    {
        var (node, url) = await StartAsync();
        await using var _ = node;

        var report = await Diagnose.RunAsync(url, nsp: "/admin", auth: """{"token":"secret"}""", heartbeats: 0);

        report.Verdict("namespace", CheckVerdict.Pass).Says("namespace /admin");
        await node.WaitForLineAsync(line => line.StartsWith("CONNECT /admin ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_ReferenceServerRefusesOrigin_FailsCors()
    {
        var (node, url) = await StartAsync();
        await using var _ = node;

        var report = await Diagnose.RunAsync(url, origin: "https://evil.example", heartbeats: 0);

        report.Verdict("cors", CheckVerdict.Fail).Says("https://evil.example would be blocked");
    }

    [Fact]
    public async Task Doctor_ReferenceServerWithAllowEIO3_SaysItServesBothVersions()
    {
        var (node, url) = await StartAsync("""{"pingInterval":300,"pingTimeout":5000,"allowEIO3":true}""");
        await using var _ = node;

        var report = await Diagnose.RunAsync(url, heartbeats: 0);

        report.Verdict("protocol", CheckVerdict.Pass).Says("Engine.IO 4 and 3");
    }
}
