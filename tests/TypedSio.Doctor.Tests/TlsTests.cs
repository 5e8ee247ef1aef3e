using TypedSio.Doctor.Diagnosis;
using TypedSio.Doctor.Tests.Support;

namespace TypedSio.Doctor.Tests;

/// <summary>The TLS check's diagnoses beyond the self-signed case: expiry, name, private CA.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Doctor_ExpiredCertificate_SaysItExpired()
    {
        var now = DateTimeOffset.UtcNow;
        using var expired = SelfSigned.Create("CN=localhost", now.AddDays(-30), now.AddDays(-2));
        await using var server = await TestServer.StartEngineIOAsync(certificate: expired);

        // Trusted as a root, so that only the dates are wrong.
        var report = await Diagnose.RunAsync(server.Url, ca: System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(expired.RawData));

        var tls = report.Verdict("tls", CheckVerdict.Fail);
        tls.Says("expired on");
        tls.Says("renew the certificate");
    }

    [Fact]
    public async Task Doctor_CertificateExpiringSoon_Warns()
    {
        var now = DateTimeOffset.UtcNow;
        using var expiring = SelfSigned.Create("CN=localhost", now.AddDays(-80), now.AddDays(5));
        await using var server = await TestServer.StartEngineIOAsync(certificate: expiring);

        var report = await Diagnose.RunAsync(server.Url, ca: System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(expiring.RawData), heartbeats: 0);

        report.Verdict("tls", CheckVerdict.Warn).Says("expires in");
        Assert.True(report.Healthy, Diagnose.Describe(report));
    }

    [Fact]
    public async Task Doctor_CertificateForAnotherName_SaysWhichNamesItCovers()
    {
        var now = DateTimeOffset.UtcNow;
        using var other = SelfSigned.Create("CN=other.example", now.AddDays(-1), now.AddDays(10), dnsName: "other.example", withLoopbackIp: false);
        await using var server = await TestServer.StartEngineIOAsync(certificate: other);

        var report = await Diagnose.RunAsync(server.Url, ca: System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(other.RawData));

        var tls = report.Verdict("tls", CheckVerdict.Fail);
        tls.Says("the certificate is for other.example, not 127.0.0.1");
        tls.Says("subject alternative names");
    }

    [Fact]
    public async Task Doctor_PrivateCa_FailsWithoutCaAndPassesWithIt()
    {
        var (ca, leaf) = SelfSigned.CreateIssued();
        using (ca)
        using (leaf)
        {
            await using var server = await TestServer.StartEngineIOAsync(certificate: leaf);

            var without = await Diagnose.RunAsync(server.Url, heartbeats: 0);
            var with = await Diagnose.RunAsync(server.Url, ca: ca, heartbeats: 0);

            var tls = without.Verdict("tls", CheckVerdict.Fail);
            tls.Says("private CA");
            tls.Says("--ca");
            Assert.Equal("CN=Doctor Test CA", tls.Detail("issuer"));
            with.Verdict("tls", CheckVerdict.Pass).Says("trusted through --ca");
            Assert.True(with.Healthy, Diagnose.Describe(with));
        }
    }
}
