using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedSio.Server.EngineIO;
using TypedSio.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Doctor.Tests.Support;

/// <summary>A Kestrel server on 127.0.0.1 (HTTPS with a certificate) running for one test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, int port, bool secure)
    {
        _app = app;
        Port = port;
        Url = $"{(secure ? "https" : "http")}://127.0.0.1:{port}";
    }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Answers every request with <paramref name="handler"/>: stubs of servers that are not ours.</summary>
    public static Task<TestServer> StartStubAsync(RequestDelegate handler, X509Certificate2? certificate = null) =>
        StartAsync(certificate, (_, app) => app.Run(handler));

    /// <summary>
    /// The project's Engine.IO server at /socket.io/ with Socket.IO CONNECT answered by hand (the Socket.IO server layer
    /// lives elsewhere): "/" is accepted, any other namespace is refused with "Invalid namespace". Without
    /// <paramref name="answerConnect"/> it is a bare Engine.IO server that never answers Socket.IO packets.
    /// </summary>
    public static Task<TestServer> StartEngineIOAsync(
        Action<EngineIOServerOptions>? configure = null,
        X509Certificate2? certificate = null,
        bool answerConnect = true) =>
        StartAsync(certificate, (builder, app) => app.MapEngineIO("/socket.io/", answerConnect ? AnswerConnectAsync : connection => connection.Closed, o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(5000);
            configure?.Invoke(o);
        }));

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private static async Task<TestServer> StartAsync(X509Certificate2? certificate, Action<WebApplicationBuilder, WebApplication> map)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddEngineIO();
        var app = builder.Build();
        app.UseWebSockets();
        map(builder, app);
        await app.StartAsync();
        return new TestServer(app, port, certificate is not null);
    }

    private static async Task AnswerConnectAsync(IEngineIOConnection connection)
    {
        var decoder = new SocketIODecoder();
        await foreach (var message in connection.ReadAllAsync())
        {
            if (message.IsBinary || !decoder.TryDecodeText(message.GetText(), out var packet, out _) || packet?.Type != SocketIOPacketType.Connect)
            {
                continue;
            }

            var reply = packet.Namespace == "/"
                ? SocketIOPacket.CreateConnect("/", new List<KeyValuePair<string, object?>> { new("sid", connection.Id + "-io") })
                : SocketIOPacket.CreateConnectError(packet.Namespace, "Invalid namespace");
            await connection.SendAsync(EngineIOMessage.Text(reply.ToString()));
        }
    }
}

/// <summary>Certificates made fresh for the test run (nothing is installed on the machine).</summary>
internal static class SelfSigned
{
    private static readonly Lazy<X509Certificate2> Created = new(() => Create("CN=localhost", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)));

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, with its key.</summary>
    public static X509Certificate2 Certificate => Created.Value;

    /// <summary>The public certificate alone, as --ca would load it.</summary>
    public static X509Certificate2 Public => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    /// <summary>A self-signed certificate with the given validity and names (127.0.0.1 and localhost by default).</summary>
    public static X509Certificate2 Create(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, string? dnsName = "localhost", bool withLoopbackIp = true)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddServerExtensions(request, dnsName, withLoopbackIp);
        using var created = request.CreateSelfSigned(notBefore, notAfter);
        return WithUsableKey(created);
    }

    /// <summary>A private CA and a server certificate for 127.0.0.1 it issued (the server sends the leaf only).</summary>
    public static (X509Certificate2 Ca, X509Certificate2 Server) CreateIssued()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Doctor Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(90));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=doctor-server", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddServerExtensions(request, "localhost", withLoopbackIp: true);
        using var issued = request.Create(ca, now.AddHours(-1), now.AddDays(60), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return (X509CertificateLoader.LoadCertificate(ca.RawData), WithUsableKey(withKey));
    }

    private static void AddServerExtensions(CertificateRequest request, string? dnsName, bool withLoopbackIp)
    {
        var names = new SubjectAlternativeNameBuilder();
        if (dnsName is not null)
        {
            names.AddDnsName(dnsName);
        }

        if (withLoopbackIp)
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
    }

    // Kestrel on Linux wants a key it can use from a PFX, not an ephemeral one.
    private static X509Certificate2 WithUsableKey(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
}
