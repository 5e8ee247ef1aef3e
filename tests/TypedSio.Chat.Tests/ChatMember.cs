using Chat.Contracts;
using TypedSio.Client;
using TypedSio.Hubs;

namespace TypedSio.Chat.Tests;

/// <summary>A typed .NET chat client in the test process: the generated proxy and receiver over one socket.</summary>
public sealed class ChatMember : IAsyncDisposable
{
    private readonly SocketIOManager _manager;
    private readonly IDisposable _registration;

    private ChatMember(SocketIOManager manager)
    {
        _manager = manager;
        Socket = manager.Socket("/");
        _registration = Socket.Register<IChatClient>(Receiver);
        Server = Socket.CreateProxy<IChatServer>(TimeSpan.FromSeconds(60));
    }

    public SocketIOSocket Socket { get; }

    public IChatServer Server { get; }

    public ChatReceiver Receiver { get; } = new();

    public LineLog Log => Receiver.Log;

    public static async Task<ChatMember> ConnectAsync(Uri url, EngineIOTransportKind transport)
    {
        var options = new SocketIOManagerOptions { Reconnection = false, Timeout = TimeSpan.FromSeconds(60) };
        options.Transports.Clear();
        options.Transports.Add(transport);
        var member = new ChatMember(new SocketIOManager(url, options));
        try
        {
            await member.Socket.ConnectAsync();
            return member;
        }
        catch
        {
            await member.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _registration.Dispose();
        await _manager.DisposeAsync();
    }
}
