using TypedSio.Doctor.Diagnosis;
using TypedSio.Doctor.Tests.Support;
using TypedSio.Server.EngineIO;

namespace TypedSio.Doctor.Tests;

/// <summary>The doctor against the project's own Engine.IO server, well and badly configured.</summary>
public sealed class OwnServerTests
{
    [Fact]
    public async Task Doctor_DefaultServer_IsHealthy()
    {
        await using var server = await TestServer.StartEngineIOAsync();

        var report = await Diagnose.RunAsync(server.Url, heartbeats: 2);

        Assert.True(report.Healthy, Diagnose.Describe(report));
        foreach (var id in new[] { "url", "dns", "tcp", "handshake", "session", "protocol", "websocket", "upgrade", "namespace", "heartbeat" })
        {
            report.Verdict(id, CheckVerdict.Pass);
        }

        report.Verdict("tls", CheckVerdict.Skip);
        report.Verdict("cors", CheckVerdict.Skip);
        Assert.Equal("300 ms", report["handshake"]!.Detail("pingInterval"));
        report.Verdict("protocol", CheckVerdict.Pass).Says("allowEIO3 is off");
    }

    [Fact]
    public async Task Doctor_WebSocketOnlyServer_WarnsThatPollingIsNotOffered()
    {
        await using var server = await TestServer.StartEngineIOAsync(o =>
        {
            o.Transports.Clear();
            o.Transports.Add(EngineIOTransportNames.WebSocket);
        });

        var report = await Diagnose.RunAsync(server.Url);

        var handshake = report.Verdict("handshake", CheckVerdict.Warn);
        handshake.Says("error 0");
        handshake.Says("transports: ['websocket']");
        report.Verdict("websocket", CheckVerdict.Pass);
        report.Verdict("namespace", CheckVerdict.Pass).Says("over websocket");
        report.Verdict("heartbeat", CheckVerdict.Pass);
        Assert.True(report.Healthy, Diagnose.Describe(report));
    }

    [Fact]
    public async Task Doctor_PollingOnlyServer_WarnsThatWebSocketIsNotOffered()
    {
        await using var server = await TestServer.StartEngineIOAsync(o =>
        {
            o.Transports.Clear();
            o.Transports.Add(EngineIOTransportNames.Polling);
        });

        var report = await Diagnose.RunAsync(server.Url);

        report.Verdict("handshake", CheckVerdict.Pass);
        report.Verdict("websocket", CheckVerdict.Warn).Says("transports: ['polling'] only");
        report.Verdict("upgrade", CheckVerdict.Skip);
        report.Verdict("namespace", CheckVerdict.Pass).Says("over polling");
        Assert.True(report.Healthy, Diagnose.Describe(report));
    }

    [Fact]
    public async Task Doctor_AllowRequestRefuses_FailsWithForbiddenAndItsMessage()
    {
        await using var server = await TestServer.StartEngineIOAsync(o =>
            o.AllowRequest = _ => ValueTask.FromResult<(bool, string?)>((false, "no session cookie")));

        var report = await Diagnose.RunAsync(server.Url);

        var handshake = report.Verdict("handshake", CheckVerdict.Fail);
        handshake.Says("error 4");
        handshake.Says("allowRequest");
        handshake.Says("no session cookie");
        Assert.Equal("4", handshake.Detail("code"));
        report.Verdict("namespace", CheckVerdict.Skip);
        Assert.False(report.Healthy);
    }

    [Fact]
    public async Task Doctor_CorsRefusesOrigin_FailsAndNamesTheOrigin()
    {
        await using var server = await TestServer.StartEngineIOAsync(o =>
        {
            o.Cors = new EngineIOCorsOptions { Credentials = true };
            o.Cors.Origins.Add("https://good.example");
        });

        var refused = await Diagnose.RunAsync(server.Url, origin: "https://evil.example", heartbeats: 0);
        var allowed = await Diagnose.RunAsync(server.Url, origin: "https://good.example", heartbeats: 0);

        var cors = refused.Verdict("cors", CheckVerdict.Fail);
        cors.Says("a page on https://evil.example would be blocked");
        cors.Says("do not allow https://evil.example");
        Assert.Equal("(none)", cors.Detail("Access-Control-Allow-Origin"));
        Assert.False(refused.Healthy);
        allowed.Verdict("cors", CheckVerdict.Pass).Says("with credentials");
        Assert.True(allowed.Healthy, Diagnose.Describe(allowed));
    }

    [Fact]
    public async Task Doctor_UnknownNamespace_ReportsInvalidNamespace()
    {
        await using var server = await TestServer.StartEngineIOAsync();

        var report = await Diagnose.RunAsync(server.Url + "/nope", heartbeats: 0);

        Assert.Equal("/nope", report["url"]!.Detail("namespace"));
        var check = report.Verdict("namespace", CheckVerdict.Fail);
        check.Says("\"Invalid namespace\"");
        check.Says("no namespace with this name");
    }

    [Fact]
    public async Task Doctor_EngineIOServerWithoutSocketIO_SaysNothingAnswersConnect()
    {
        await using var server = await TestServer.StartEngineIOAsync(answerConnect: false);

        var report = await Diagnose.RunAsync(server.Url, heartbeats: 0, stepSeconds: 2);

        report.Verdict("handshake", CheckVerdict.Pass);
        var check = report.Verdict("namespace", CheckVerdict.Fail);
        check.Says("no answer to CONNECT /");
        check.Says("an Engine.IO server without Socket.IO");
    }

    [Fact]
    public async Task Doctor_SelfSignedCertificate_FailsAndSaysHowToTrustIt()
    {
        await using var server = await TestServer.StartEngineIOAsync(certificate: SelfSigned.Certificate);

        var report = await Diagnose.RunAsync(server.Url);

        var tls = report.Verdict("tls", CheckVerdict.Fail);
        tls.Says("self-signed");
        tls.Says("--ca");
        tls.Says("never turn validation off");
        Assert.Equal("CN=localhost", tls.Detail("subject"));
        report.Verdict("handshake", CheckVerdict.Skip).Says("--ca");
        Assert.False(report.Healthy);
    }

    [Fact]
    public async Task Doctor_SelfSignedCertificateTrustedWithCa_IsHealthy()
    {
        await using var server = await TestServer.StartEngineIOAsync(certificate: SelfSigned.Certificate);

        var report = await Diagnose.RunAsync(server.Url, ca: SelfSigned.Public);

        report.Verdict("tls", CheckVerdict.Pass).Says("trusted through --ca");
        report.Verdict("websocket", CheckVerdict.Pass);
        report.Verdict("upgrade", CheckVerdict.Pass);
        report.Verdict("namespace", CheckVerdict.Pass);
        Assert.True(report.Healthy, Diagnose.Describe(report));
    }

    [Fact]
    public async Task Doctor_PlainHttpOnTlsUrl_SaysThePortDoesNotSpeakTls()
    {
        await using var server = await TestServer.StartEngineIOAsync();

        var report = await Diagnose.RunAsync(server.Url.Replace("http://", "https://", StringComparison.Ordinal));

        report.Verdict("tls", CheckVerdict.Fail).Says("does not speak TLS");
    }
}
