using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace TypedSio.Server.Tests.SocketIO;

/// <summary>
/// A hand-driven Socket.IO client over raw Engine.IO (WebSocket or long-polling): the test sends and sees exact packet
/// text. Pings are answered; everything else is handed to the test in order. "CLOSED" marks the end of the connection.
/// </summary>
internal sealed class RawSocketIOClient : IAsyncDisposable
{
    public const string Closed = "CLOSED";
    private const char RecordSeparator = '\u001e';
    private readonly SocketIOTestServer _server;
    private readonly Channel<string> _received = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket? _socket;
    private Task? _loop;

    private RawSocketIOClient(SocketIOTestServer server, string transport)
    {
        _server = server;
        Transport = transport;
    }

    public string Transport { get; }

    public string Sid { get; private set; } = "";

    /// <summary>Opens an Engine.IO session (no Socket.IO CONNECT yet).</summary>
    public static async Task<RawSocketIOClient> OpenAsync(SocketIOTestServer server, string transport)
    {
        var client = new RawSocketIOClient(server, transport);
        if (transport == "websocket")
        {
            client._socket = new ClientWebSocket();
            client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await client._socket.ConnectAsync(server.WebSocketUri(), CancellationToken.None).WaitAsync(SocketIOTestServer.Timeout);
            client._loop = client.ReadWebSocketAsync();
            var open = await client.ReceiveAsync();
            Assert.StartsWith("0{", open, StringComparison.Ordinal);
            client.Sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
        }
        else
        {
            var body = await server.Http.GetStringAsync(server.Url("EIO=4&transport=polling")).WaitAsync(SocketIOTestServer.Timeout);
            Assert.StartsWith("0{", body, StringComparison.Ordinal);
            client.Sid = JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString()!;
            client._loop = client.PollAsync();
        }

        return client;
    }

    /// <summary>Opens a session and connects to a namespace; returns the socket id from the CONNECT reply.</summary>
    public static async Task<(RawSocketIOClient Client, string SocketId)> ConnectAsync(SocketIOTestServer server, string transport, string nsp = "/")
    {
        var client = await OpenAsync(server, transport);
        var id = await client.ConnectNamespaceAsync(nsp);
        return (client, id);
    }

    public async Task<string> ConnectNamespaceAsync(string nsp = "/", string auth = "")
    {
        var prefix = nsp == "/" ? "0" : $"0{nsp},";
        await SendAsync(prefix + auth);
        var reply = await ReceiveAsync();
        Assert.StartsWith(prefix + "{", reply, StringComparison.Ordinal);
        return JsonDocument.Parse(reply[(prefix.Length)..]).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>Sends one Socket.IO text packet (as Engine.IO message <c>4…</c>).</summary>
    public Task SendAsync(string packet) => SendEngineAsync("4" + packet);

    public async Task SendBinaryAsync(byte[] data)
    {
        if (_socket is not null)
        {
            await _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        else
        {
            await PostAsync("b" + Convert.ToBase64String(data));
        }
    }

    public async Task SendEngineAsync(string message)
    {
        if (_socket is not null)
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        else
        {
            await PostAsync(message);
        }
    }

    /// <summary>The next Socket.IO packet text (without the Engine.IO <c>4</c>), <c>b:base64</c> for binary, or <see cref="Closed"/>.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(SocketIOTestServer.Timeout);
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            return Closed;
        }
    }

    /// <summary>Waits until the server closes the connection, failing on any other packet.</summary>
    public async Task ExpectClosedAsync()
    {
        var next = await ReceiveAsync();
        Assert.Equal(Closed, next);
    }

    /// <summary>True when nothing arrives within the window (used only where silence is the behaviour under test).</summary>
    public async Task<bool> IsSilentAsync(TimeSpan window)
    {
        using var cts = new CancellationTokenSource(window);
        try
        {
            await _received.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Drops the WebSocket's TCP connection without a close handshake.</summary>
    public void Abort() => _socket!.Abort();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is { State: WebSocketState.Open })
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

        if (_loop is not null)
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket?.Dispose();
        _stop.Dispose();
    }

    private async Task PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await _server.Http.PostAsync(_server.Url($"EIO=4&transport=polling&sid={Sid}"), content);
        response.EnsureSuccessStatusCode();
    }

    private async Task ReadWebSocketAsync()
    {
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var buffer = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket!.ReceiveAsync(chunk, _stop.Token);
                    buffer.Write(chunk, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    _received.Writer.TryWrite("b:" + Convert.ToBase64String(buffer.ToArray()));
                    continue;
                }

                await OnEngineMessageAsync(Encoding.UTF8.GetString(buffer.ToArray()));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private async Task PollAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var response = await _server.Http.GetAsync(_server.Url($"EIO=4&transport=polling&sid={Sid}"), _stop.Token);
                if (!response.IsSuccessStatusCode)
                {
                    break;
                }

                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                var closed = false;
                foreach (var message in body.Split(RecordSeparator))
                {
                    if (message.StartsWith('b'))
                    {
                        _received.Writer.TryWrite("b:" + message[1..]);
                    }
                    else if (message == "1")
                    {
                        closed = true;
                    }
                    else
                    {
                        await OnEngineMessageAsync(message);
                    }
                }

                if (closed)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private async Task OnEngineMessageAsync(string message)
    {
        switch (message[0])
        {
            case '2':
                await SendEngineAsync("3");
                break;
            case '4':
                _received.Writer.TryWrite(message[1..]);
                break;
            case '0' when _socket is not null:
                _received.Writer.TryWrite(message);
                break;
            case '1':
                _received.Writer.TryComplete();
                break;
        }
    }
}
