using System.Text;
using Chat.Contracts;
using TypedSio;
using TypedSio.Client;
using TypedSio.Hubs;

// chat-client <server-url> <user> <room> [--transport polling|websocket]
// Each stdin line is sent to the room ("/file name text" shares the text as a binary file); end of input quits.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Chat.Client <server-url> <user> <room> [--transport polling|websocket]");
    return 2;
}

var (url, user, room) = (new Uri(args[0]), args[1], args[2]);
var options = new SocketIOManagerOptions();
var transport = args.Length > 4 && args[3] == "--transport" ? args[4] : null;
if (transport is not null)
{
    options.Transports.Clear();
    options.Transports.Add(transport == "polling" ? EngineIOTransportKind.Polling : EngineIOTransportKind.WebSocket);
}

await using var io = new SocketIOManager(url, options);
var socket = io.Socket("/");
using var receiving = socket.Register<IChatClient>(new ConsoleReceiver());
var server = socket.CreateProxy<IChatServer>(TimeSpan.FromSeconds(30));
socket.Disconnected += (_, e) => Console.WriteLine($"* disconnected: {e.Reason}");

try
{
    await socket.ConnectAsync();
}
catch (ConnectErrorException e)
{
    Console.Error.WriteLine($"could not connect to {url}: {e.Message}");
    return 1;
}

var joined = await server.Join(room, user, CancellationToken.None);
Console.WriteLine($"* joined {joined.Room} with {string.Join(", ", joined.Members)} over {io.Transport}");

// Reading stdin without a terminal is fine: tests pipe lines in, and end of input ends the session.
while (await Console.In.ReadLineAsync() is { } line)
{
    if (line.StartsWith("/file ", StringComparison.Ordinal) && line.Split(' ', 3) is [_, var name, var content])
    {
        await server.ShareFile(room, name, Encoding.UTF8.GetBytes(content));
    }
    else if (line.Length > 0)
    {
        await server.SendMessage(room, line);
    }
}

return 0;

internal sealed class ConsoleReceiver : IChatClient
{
    public Task MessageReceived(ChatMessage message) => WriteAsync($"[{message.Room}] {message.User}: {message.Text}");

    public Task UserJoined(string room, string user) => WriteAsync($"* {user} joined {room}");

    public Task UserLeft(string room, string user) => WriteAsync($"* {user} left {room}");

    public Task FileShared(SharedFile file) =>
        WriteAsync($"* {file.User} shared {file.Name} ({file.Data.Length} bytes): {Encoding.UTF8.GetString(file.Data)}");

    private static Task WriteAsync(string line)
    {
        Console.WriteLine(line);
        return Task.CompletedTask;
    }
}
