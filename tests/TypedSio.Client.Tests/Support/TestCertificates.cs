using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TypedSio.Client.Tests.Support;

/// <summary>A private CA and certificates it issued, made fresh for each test run (nothing is installed on the machine).</summary>
public static class TestCertificates
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Server, X509Certificate2 Client)> Created = new(Create);

    public static X509Certificate2 Ca => Created.Value.Ca;

    /// <summary>A server certificate for <c>localhost</c>, with its private key.</summary>
    public static X509Certificate2 Server => Created.Value.Server;

    /// <summary>A client certificate, with its private key.</summary>
    public static X509Certificate2 Client => Created.Value.Client;

    private static (X509Certificate2, X509Certificate2, X509Certificate2) Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=TypedSio Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var caWithKey = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);

        var server = Issue(caWithKey, "CN=localhost", now, request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        });
        var client = Issue(caWithKey, "CN=TypedSio Test Client", now, request =>
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)));
        return (ca, server, client);
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, DateTimeOffset now, Action<CertificateRequest> configure)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        configure(request);
        using var issued = request.Create(issuer, now.AddHours(-1), now.AddDays(10), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);

        // SslStream on Linux wants a key it can use from a PFX, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), password: null);
    }
}
