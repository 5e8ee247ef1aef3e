using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TypedSio.Doctor.Diagnosis;

/// <summary>
/// The doctor's only certificate rule: the system's roots, plus the CAs given with <c>--ca</c>. Nothing is ever
/// accepted because validation was switched off.
/// </summary>
internal static class CertificateTrust
{
    public static TrustVerdict Evaluate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection customRoots)
    {
        var status = chain?.ChainStatus ?? [];
        if (errors == SslPolicyErrors.None)
        {
            return new TrustVerdict(true, false, errors, status);
        }

        // A private CA can only fix chain errors; a wrong name or a missing certificate stays wrong.
        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && customRoots.Count > 0)
        {
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(customRoots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                // Intermediates the server sent still count.
                foreach (var element in chain.ChainElements.Skip(1))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            var valid = custom.Build(leaf);
            return new TrustVerdict(valid, valid, errors, custom.ChainStatus);
        }

        return new TrustVerdict(false, false, errors, status);
    }
}

/// <summary>Whether a certificate is trusted, and why not.</summary>
/// <param name="Trusted">Whether the connection may go on.</param>
/// <param name="ThroughCustomCa">Whether it is trusted only thanks to <c>--ca</c>.</param>
/// <param name="Errors">What the platform's check found.</param>
/// <param name="ChainStatus">The chain problems.</param>
internal sealed record TrustVerdict(bool Trusted, bool ThroughCustomCa, SslPolicyErrors Errors, X509ChainStatus[] ChainStatus);
