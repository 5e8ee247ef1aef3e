using System.Net.Security;
using TypedSio.Client.Tests.Support;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests;

/// <summary>Certificate validation and client certificates, over both transports, against a TLS stub with a private CA.</summary>
public sealed class TlsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task OpenAsync_UntrustedCertificate_ThrowsTlsCertificateRejectedWithTheCertificate(EngineIOTransportKind transport)
    {
        await using var stub = new StubHttpServer(_ => StubHttpServer.Handshake(), TestCertificates.Server);
        await using var client = new EngineIOClient(Options(stub, transport));

        var error = await Assert.ThrowsAsync<TlsCertificateRejectedException>(() => client.OpenAsync());

        Assert.Equal("localhost", error.Host);
        Assert.Equal(TestCertificates.Server.Thumbprint, error.Certificate?.Thumbprint);
        Assert.True(error.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.NotEmpty(error.ChainStatus);
        Assert.Contains("CN=localhost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_PollingWithPrivateCaTrusted_Opens()
    {
        await using var stub = new StubHttpServer(StubHttpServer.SilentSession(), TestCertificates.Server);
        var options = Options(stub, EngineIOTransportKind.Polling);
        options.Tls.CaCertificates.Add(TestCertificates.Ca);
        await using var client = new EngineIOClient(options);

        await client.OpenAsync();

        Assert.Equal("stub-sid", client.Id);
    }

    [Fact]
    public async Task OpenAsync_WebSocketWithPrivateCaTrusted_GetsPastTlsToTheServersAnswer()
    {
        // The stub speaks no WebSocket; its Engine.IO refusal arriving proves the TLS handshake succeeded.
        await using var stub = new StubHttpServer(_ => new StubResponse(400, "text/html", "Transport unknown"), TestCertificates.Server);
        var options = Options(stub, EngineIOTransportKind.WebSocket);
        options.Tls.CaCertificates.Add(TestCertificates.Ca);
        await using var client = new EngineIOClient(options);

        await Assert.ThrowsAsync<EngineIOTransportUnknownException>(() => client.OpenAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAsync_ValidationCallback_DecidesAndSeesTheCertificate(bool accept)
    {
        await using var stub = new StubHttpServer(StubHttpServer.SilentSession(), TestCertificates.Server);
        var options = Options(stub, EngineIOTransportKind.Polling);
        string? seen = null;
        options.Tls.ServerCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen = certificate?.Subject;
            return accept;
        };
        await using var client = new EngineIOClient(options);

        if (accept)
        {
            await client.OpenAsync();
        }
        else
        {
            await Assert.ThrowsAsync<TlsCertificateRejectedException>(() => client.OpenAsync());
        }

        Assert.Equal("CN=localhost", seen);
    }

    [Fact]
    public async Task OpenAsync_ClientCertificateConfigured_PresentsIt()
    {
        await using var stub = new StubHttpServer(
            StubHttpServer.SilentSession(), TestCertificates.Server, askForClientCertificate: true);
        var options = Options(stub, EngineIOTransportKind.Polling);
        options.Tls.CaCertificates.Add(TestCertificates.Ca);
        options.Tls.ClientCertificates.Add(TestCertificates.Client);
        await using var client = new EngineIOClient(options);

        await client.OpenAsync();

        Assert.Contains("CN=TypedSio Test Client", stub.ClientCertificates);
    }

    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task OpenAsync_HttpsToPlainHttpServer_ThrowsProtocolViolationNotCertificateRejection(EngineIOTransportKind transport)
    {
        await using var server = await ReferenceServer.StartAsync();
        var options = server.ClientOptions(transport);
        var https = new EngineIOClientOptions(new Uri($"https://127.0.0.1:{server.Port}")) { Path = options.Path, LoggerFactory = new TestOutputLoggerFactory(output) };
        https.Transports.Clear();
        https.Transports.Add(transport);
        await using var client = new EngineIOClient(https);

        var error = await Assert.ThrowsAsync<ServerProtocolViolationException>(() => client.OpenAsync());

        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
    }

    private EngineIOClientOptions Options(StubHttpServer stub, EngineIOTransportKind transport)
    {
        var options = new EngineIOClientOptions(stub.Uri) { Path = "/engine.io/" };
        options.Transports.Clear();
        options.Transports.Add(transport);
        options.LoggerFactory = new TestOutputLoggerFactory(output);
        return options;
    }
}
