using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TypedSio.Client;

/// <summary>
/// How the client checks the server's certificate and which certificate it presents, for both HTTP long-polling and
/// the WebSocket. Validation is on unless <see cref="DangerousAcceptAnyServerCertificate"/> is set.
/// </summary>
public sealed class EngineIOClientTlsOptions
{
    /// <summary>Extra root certificates to trust (e.g. a private CA), in addition to the system's roots.</summary>
    public X509Certificate2Collection CaCertificates { get; } = [];

    /// <summary>Client certificates to present when the server asks for one (mutual TLS).</summary>
    public X509Certificate2Collection ClientCertificates { get; } = [];

    /// <summary>
    /// Decides whether to accept the server's certificate, replacing the default check (system roots plus
    /// <see cref="CaCertificates"/>). Null for the default check.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; set; }

    /// <summary>Accepts any server certificate. Only for local development: it removes the protection TLS gives.</summary>
    public bool DangerousAcceptAnyServerCertificate { get; set; }
}
