using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TypedSio.Testing;

/// <summary>
/// One page of a <see cref="ChromiumProcess"/> driven over the Chrome DevTools protocol: navigate, then evaluate
/// JavaScript (promises are awaited, so a test can wait for what the page shows without polling).
/// </summary>
public sealed class DevToolsPage : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _events = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _reading;
    private int _nextId;

    private DevToolsPage(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Opens a new tab and navigates it to a URL, returning once the page's load event fired.</summary>
    /// <param name="devTools">The browser's DevTools HTTP endpoint.</param>
    /// <param name="url">The page.</param>
    public static async Task<DevToolsPage> OpenAsync(Uri devTools, string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var created = await http.PutAsync(new Uri(devTools, "json/new?about:blank"), null);
        created.EnsureSuccessStatusCode();
        using var target = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(target.RootElement.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
        var page = new DevToolsPage(socket);
        try
        {
            await page.SendAsync("Page.enable", new JsonObject());
            var loaded = page.NextEvent("Page.loadEventFired");
            await page.SendAsync("Page.navigate", new JsonObject { ["url"] = url });
            await loaded.WaitAsync(TimeSpan.FromSeconds(60));
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates an expression in the page, awaiting it if it is a promise.</summary>
    /// <param name="expression">JavaScript.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <returns>Its value, as JSON.</returns>
    public async Task<JsonElement> EvaluateAsync(string expression, TimeSpan? timeout = null)
    {
        var reply = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        }).WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        if (reply.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException("The page threw: " + exception);
        }

        return reply.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Closes the DevTools connection (the browser process is the <see cref="ChromiumProcess"/>'s to kill).</summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }

        _socket.Dispose();
        _closing.Dispose();
    }

    private Task NextEvent(string method) =>
        _events.GetOrAdd(method, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _closing.Token);
        return await reply.Task;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_closing.IsCancellationRequested)
        {
            var result = await _socket.ReceiveAsync(buffer, _closing.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        reply.TrySetException(new InvalidOperationException("DevTools error: " + error));
                    }
                    else
                    {
                        reply.TrySetResult(root.GetProperty("result").Clone());
                    }
                }
                else if (root.TryGetProperty("method", out var method) && _events.TryGetValue(method.GetString()!, out var waiter))
                {
                    waiter.TrySetResult();
                }
            }

            message.SetLength(0);
        }

        foreach (var reply in _pending.Values)
        {
            reply.TrySetException(new WebSocketException("The DevTools connection closed."));
        }
    }
}
