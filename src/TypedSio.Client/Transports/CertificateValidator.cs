using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TypedSio.Client.Transports;

/// <summary>
/// Checks server certificates for both transports and remembers the last one it rejected, so that a failed TLS
/// handshake can be reported with the certificate and the reasons.
/// </summary>
internal sealed class CertificateValidator
{
    private readonly EngineIOClientTlsOptions _tls;
    private Rejection? _lastRejection;

    public CertificateValidator(EngineIOClientTlsOptions tls) => _tls = tls;

    public Rejection? LastRejection => Volatile.Read(ref _lastRejection);

    public SocketsHttpHandler CreateHandler(EngineIOClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = options.Cookies is not null,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (options.Cookies is not null)
        {
            handler.CookieContainer = options.Cookies;
        }

        if (options.Proxy is not null)
        {
            // One handler carries both transports, so setting the proxy here covers polling and the WebSocket alike.
            handler.Proxy = options.Proxy;
            handler.UseProxy = true;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        if (_tls.ClientCertificates.Count > 0)
        {
            handler.SslOptions.ClientCertificates = [.. _tls.ClientCertificates];
        }

        return handler;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var chainStatus = chain?.ChainStatus ?? [];
        bool accepted;
        if (_tls.DangerousAcceptAnyServerCertificate)
        {
            accepted = true;
        }
        else if (_tls.ServerCertificateValidationCallback is { } callback)
        {
            accepted = callback(sender, certificate, chain, errors);
        }
        else if (errors == SslPolicyErrors.None)
        {
            accepted = true;
        }
        else if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && _tls.CaCertificates.Count > 0)
        {
            accepted = ChainsToCustomRoot(certificate, out chainStatus);
        }
        else
        {
            accepted = false;
        }

        // Only the latest verdict is kept, so that a later failure is not blamed on an old certificate.
        var copy = accepted || certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        Volatile.Write(ref _lastRejection, accepted ? null : new Rejection(copy, errors, chainStatus));

        return accepted;
    }

    private bool ChainsToCustomRoot(X509Certificate certificate, out X509ChainStatus[] status)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_tls.CaCertificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var valid = chain.Build(leaf);
        status = chain.ChainStatus;
        return valid;
    }

    internal sealed record Rejection(X509Certificate2? Certificate, SslPolicyErrors Errors, X509ChainStatus[] ChainStatus);
}
