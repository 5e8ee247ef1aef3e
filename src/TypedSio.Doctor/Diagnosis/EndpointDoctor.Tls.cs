using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private const string TrustAdvice =
        "trust that CA explicitly: 'typedsio doctor --ca ca.pem', EngineIOClientOptions.Tls.CaCertificates in .NET, the 'ca' option or NODE_EXTRA_CA_CERTS in Node, the OS/browser store for browsers; never turn validation off (rejectUnauthorized: false).";

    private async Task<CheckResult> CheckTlsAsync(CancellationToken cancellationToken)
    {
        if (!_target.Secure)
        {
            return new CheckResult("tls", "TLS", CheckVerdict.Skip, "plain http: no TLS (a page served over https cannot open http:// or ws:// connections)");
        }

        X509Certificate2? certificate = null;
        TrustVerdict? verdict = null;
        SslProtocols protocol = default;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StepTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(_target.Host, _target.Port, timeout.Token);
            await using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = _target.Host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
                {
                    certificate = presented is null ? null : X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                    verdict = CertificateTrust.Evaluate(presented, chain, errors, _options.CaCertificates);
                    return verdict.Trusted;
                },
            }, timeout.Token);
            protocol = ssl.SslProtocol;
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or SocketException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _log.Add("tls", $"handshake failed: {exception.Message}");
            if (certificate is null)
            {
                StopAfter("the TLS handshake failed.");
                return new CheckResult("tls", "TLS", CheckVerdict.Fail, $"no TLS handshake with {_target.Host}:{_target.Port} ({exception.Message})")
                {
                    Cause = "the port does not speak TLS (the server serves plain HTTP there), or a TLS setting (protocol version, SNI) does not match.",
                    Fix = $"try http://{_target.Host}:{_target.Port}, or the port where the server (or its reverse proxy) terminates TLS.",
                };
            }
        }

        using (certificate)
        {
            if (certificate is null || verdict is null)
            {
                StopAfter("the TLS handshake failed.");
                return new CheckResult("tls", "TLS", CheckVerdict.Fail, "the server presented no certificate") { Fix = "configure a certificate on the server." };
            }

            var details = DescribeCertificate(certificate, verdict);
            if (verdict.Trusted)
            {
                details.Add(new("protocol", protocol.ToString()));
                var left = certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow;
                var how = verdict.ThroughCustomCa ? "trusted through --ca" : "trusted";
                if (left < TimeSpan.FromDays(14))
                {
                    return new CheckResult("tls", "TLS", CheckVerdict.Warn, $"{how}, but the certificate expires in {left.TotalDays:0} days")
                    {
                        Cause = "certificate renewal has not happened yet.",
                        Fix = "renew the certificate (check that automatic renewal runs).",
                        Details = details,
                    };
                }

                return new CheckResult("tls", "TLS", CheckVerdict.Pass, $"{how}: {certificate.GetNameInfo(X509NameType.SimpleName, false)}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}")
                {
                    Details = details,
                };
            }

            StopAfter("the TLS certificate is not trusted (the doctor never turns validation off: fix it or pass --ca).");
            return Untrusted(certificate, verdict, details);
        }
    }

    private CheckResult Untrusted(X509Certificate2 certificate, TrustVerdict verdict, List<KeyValuePair<string, string>> details)
    {
        var status = verdict.ChainStatus.Select(s => s.Status).ToHashSet();
        var now = DateTime.UtcNow;
        if ((verdict.Errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            var names = DnsNames(certificate);
            return new CheckResult("tls", "TLS", CheckVerdict.Fail,
                $"the certificate is for {(names.Count > 0 ? string.Join(", ", names) : certificate.Subject)}, not {_target.Host}")
            {
                Cause = "the URL uses a host name the certificate does not cover (an IP address, an internal name, or a missing subject alternative name).",
                Fix = "connect with a host name the certificate lists, or issue a certificate whose subject alternative names include this one.",
                Details = details,
            };
        }

        if (certificate.NotAfter.ToUniversalTime() < now || status.Contains(X509ChainStatusFlags.NotTimeValid) && certificate.NotBefore.ToUniversalTime() <= now)
        {
            return new CheckResult("tls", "TLS", CheckVerdict.Fail, $"the certificate expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}")
            {
                Cause = "the certificate was not renewed.",
                Fix = "renew the certificate on the server (or its reverse proxy) and reload it.",
                Details = details,
            };
        }

        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            return new CheckResult("tls", "TLS", CheckVerdict.Fail, $"the certificate is only valid from {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm}")
            {
                Cause = "the server's or this machine's clock is wrong, or the certificate was issued for the future.",
                Fix = "check both clocks (NTP).",
                Details = details,
            };
        }

        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return new CheckResult("tls", "TLS", CheckVerdict.Fail, $"the certificate is self-signed ({certificate.Subject})")
            {
                Cause = "the server uses a self-signed certificate, which no client trusts by default.",
                Fix = "use a certificate from a public CA (e.g. Let's Encrypt), or " + TrustAdvice.Replace("that CA", "this certificate", StringComparison.Ordinal),
                Details = details,
            };
        }

        if (status.Contains(X509ChainStatusFlags.PartialChain))
        {
            return new CheckResult("tls", "TLS", CheckVerdict.Fail, $"the chain to a trusted root is incomplete (issuer {certificate.Issuer})")
            {
                Cause = "the server does not send its intermediate certificates, or the certificate comes from a private CA this machine does not know.",
                Fix = "configure the server with the full chain (e.g. fullchain.pem), or for a private CA " + TrustAdvice,
                Details = details,
            };
        }

        return new CheckResult("tls", "TLS", CheckVerdict.Fail, $"the certificate is not trusted ({string.Join(", ", status.DefaultIfEmpty(X509ChainStatusFlags.NoError).Select(s => s.ToString()))})")
        {
            Cause = $"it was issued by '{certificate.Issuer}', a CA this machine does not trust (a private or corporate CA), or it was revoked.",
            Fix = "for a private CA " + TrustAdvice,
            Details = details,
        };
    }

    private static List<KeyValuePair<string, string>> DescribeCertificate(X509Certificate2 certificate, TrustVerdict verdict)
    {
        var details = new List<KeyValuePair<string, string>>
        {
            new("subject", certificate.Subject),
            new("issuer", certificate.Issuer),
            new("valid", string.Create(CultureInfo.InvariantCulture, $"{certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}")),
            new("names", string.Join(", ", DnsNames(certificate))),
            new("sha256", certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)),
        };
        if (verdict.Errors != SslPolicyErrors.None)
        {
            details.Add(new("errors", verdict.Errors.ToString()));
        }

        if (verdict.ChainStatus.Length > 0)
        {
            details.Add(new("chain", string.Join(", ", verdict.ChainStatus.Select(s => s.Status))));
        }

        return details;
    }

    private static List<string> DnsNames(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames())];
}
