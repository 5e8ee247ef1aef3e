using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TypedSio.Client.Tests.Support;

/// <summary>A request the stub received.</summary>
public sealed record StubRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public bool HasSid => Target.Contains("sid=", StringComparison.Ordinal);
}

/// <summary>
/// What the stub answers with. With <paramref name="WebSocketFrames"/>, a WebSocket upgrade request is accepted instead
/// and those text frames are sent, after which the stub stays silent.
/// </summary>
public sealed record StubResponse(int Status, string ContentType, string Body, IReadOnlyList<string>? WebSocketFrames = null);

/// <summary>
/// A tiny HTTP/1.1 server on a raw TcpListener that answers each request with exactly what a test says (or holds it
/// open forever when the test returns null), optionally over TLS. For behaviour the official server cannot be made to
/// show: exact error bodies, a server that stops pinging, one that never answers.
/// </summary>
public sealed class StubHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<StubRequest, StubResponse?> _respond;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<StubRequest> _requests = new();
    private readonly Task _acceptLoop;

    private readonly bool _askForClientCertificate;
    private readonly ConcurrentQueue<string> _clientCertificates = new();

    public StubHttpServer(Func<StubRequest, StubResponse?> respond, X509Certificate2? certificate = null, bool askForClientCertificate = false)
    {
        _respond = respond;
        _certificate = certificate;
        _askForClientCertificate = askForClientCertificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public Uri Uri => new(_certificate is null ? $"http://127.0.0.1:{Port}" : $"https://localhost:{Port}");

    public IReadOnlyCollection<StubRequest> Requests => _requests;

    /// <summary>The subjects of the client certificates presented over TLS.</summary>
    public IReadOnlyCollection<string> ClientCertificates => _clientCertificates;

    /// <summary>The handshake of a v4 session with the given heartbeat, as the open packet of a polling response.</summary>
    public static StubResponse Handshake(int pingInterval = 25000, int pingTimeout = 20000, string upgrades = "") =>
        new(200, "text/plain; charset=UTF-8",
            $$"""0{"sid":"stub-sid","upgrades":[{{upgrades}}],"pingInterval":{{pingInterval}},"pingTimeout":{{pingTimeout}},"maxPayload":1000000}""");

    /// <summary>
    /// A session that opens and then stays silent: the handshake, then polls held open forever (no ping ever comes),
    /// POSTs acknowledged.
    /// </summary>
    public static Func<StubRequest, StubResponse?> SilentSession(int pingInterval = 25000, int pingTimeout = 20000) =>
        request => request.Method == "POST" ? new StubResponse(200, "text/html", "ok")
            : request.HasSid ? null
            : Handshake(pingInterval, pingTimeout);

    /// <summary>Like <see cref="SilentSession"/>, and over a WebSocket too: the open packet, then nothing.</summary>
    public static Func<StubRequest, StubResponse?> SilentSessionOnEitherTransport(int pingInterval = 25000, int pingTimeout = 20000)
    {
        var polling = SilentSession(pingInterval, pingTimeout);
        return request => request.Headers.ContainsKey("Sec-WebSocket-Key")
            ? new StubResponse(101, "", "", [Handshake(pingInterval, pingTimeout).Body])
            : polling(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _certificate,
                        ClientCertificateRequired = _askForClientCertificate,
                        // Any client certificate is fine: the tests only check which one was presented.
                        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null || !_askForClientCertificate,
                    }, _stop.Token);
                    if (ssl.RemoteCertificate is { } presented)
                    {
                        _clientCertificates.Enqueue(presented.Subject);
                    }

                    stream = ssl;
                }

                await using (stream)
                {
                    var request = await ReadRequestAsync(stream);
                    _requests.Enqueue(request);
                    var response = _respond(request);
                    if (response is null)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    if (response.WebSocketFrames is { } frames)
                    {
                        await ServeWebSocketAsync(stream, request, frames);
                        return;
                    }

                    var body = Encoding.UTF8.GetBytes(response.Body);
                    var head = $"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\nContent-Type: {response.ContentType}\r\n"
                        + $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
                // the client went away (or refused our certificate)
            }
            catch (System.Security.Authentication.AuthenticationException)
            {
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // the client aborted its WebSocket
            }
        }
    }

    private async Task ServeWebSocketAsync(Stream stream, StubRequest request, IReadOnlyList<string> frames)
    {
        // RFC 6455 fixes SHA-1 for the accept key; it protects nothing here.
#pragma warning disable CA5350
        var accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(
            Encoding.ASCII.GetBytes(request.Headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        var head = $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        using var socket = System.Net.WebSockets.WebSocket.CreateFromStream(
            stream, new System.Net.WebSockets.WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        foreach (var frame in frames)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), System.Net.WebSockets.WebSocketMessageType.Text, true, _stop.Token);
        }

        // Read and drop whatever the client sends until it goes away: the stub never answers.
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private async Task<StubRequest> ReadRequestAsync(Stream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                throw new IOException("connection closed mid-request");
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = string.Empty;
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var length)
        {
            var buffer = new byte[length];
            await stream.ReadExactlyAsync(buffer, _stop.Token);
            body = Encoding.UTF8.GetString(buffer);
        }

        return new StubRequest(parts[0], parts[1], headers, body);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Status",
    };
}
