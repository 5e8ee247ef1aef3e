using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace TypedSio.Server.Tests.Support;

/// <summary>A hand-driven long-polling client: every request and response is visible to the test.</summary>
internal sealed class PollingClient
{
    public const string RecordSeparator = "\u001e";
    private readonly EngineIOTestServer _server;
    private readonly string _query;

    public PollingClient(EngineIOTestServer server, string query = "EIO=4&transport=polling")
    {
        _server = server;
        _query = query;
    }

    public string Sid { get; private set; } = "";

    public string SessionUrl => _server.Url($"{_query}&sid={Sid}");

    /// <summary>Opens a session; returns the handshake response body.</summary>
    public async Task<string> HandshakeAsync()
    {
        using var response = await _server.Http.GetAsync(_server.Url(_query));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = body[(body.IndexOf('{', StringComparison.Ordinal))..];
        json = json[..(json.LastIndexOf('}') + 1)];
        Sid = JsonDocument.Parse(json).RootElement.GetProperty("sid").GetString()!;
        return body;
    }

    public Task<HttpResponseMessage> GetAsync() => _server.Http.GetAsync(SessionUrl);

    /// <summary>One poll, asserted to succeed; returns the payload.</summary>
    public async Task<string> PollAsync()
    {
        using var response = await GetAsync().WaitAsync(EngineIOTestServer.Timeout);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"poll answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "text/plain") =>
        _server.Http.PostAsync(SessionUrl, new StringContent(body, Encoding.UTF8, contentType));

    public Task<HttpResponseMessage> PostBytesAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return _server.Http.PostAsync(SessionUrl, content);
    }

    /// <summary>One POST, asserted to be answered "ok".</summary>
    public async Task PostAsync(string body)
    {
        using var response = await PostRawAsync(body).WaitAsync(EngineIOTestServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>A hand-driven WebSocket client that sees every frame.</summary>
internal sealed class WebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocket Socket => _socket;

    public static async Task<WebSocketClient> ConnectAsync(Uri uri)
    {
        var client = new WebSocketClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await client._socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(EngineIOTestServer.Timeout);
        return client;
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next whole message: its type and bytes (type Close when the server closed).</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(EngineIOTestServer.Timeout);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer.ToArray());
            }
        }
    }

    public async Task<string> ReceiveTextAsync()
    {
        var (type, data) = await ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    public async Task ExpectCloseAsync()
    {
        var (type, data) = await ReceiveAsync();
        Assert.True(type == WebSocketMessageType.Close, $"expected the close frame, got {type} {Encoding.UTF8.GetString(data)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
