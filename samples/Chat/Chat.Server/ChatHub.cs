using Chat.Contracts;
using TypedSio.Hubs;
using TypedSio.Server.SocketIO;

namespace Chat.Server;

/// <summary>
/// One hub per connected socket (the server creates it in the socket's DI scope). The TypedSio generator implements
/// its event dispatch from <see cref="IChatServer"/> and the <see cref="SocketHub{TClient}.Clients"/> proxies from
/// <see cref="IChatClient"/>.
/// </summary>
public sealed partial class ChatHub(SocketIOSocket socket, ChatRooms rooms) : SocketHub<IChatClient>, IChatServer
{
    private string? _user;

    public async Task<JoinResult> Join(string room, string user, CancellationToken cancellationToken)
    {
        _user = string.IsNullOrWhiteSpace(user) ? "anonymous" : user.Trim();
        await socket.JoinAsync(room);
        var members = rooms.Add(room, socket.Id, _user);
        await Clients.Room(room).UserJoined(room, _user);
        return new JoinResult(room, members);
    }

    public Task SendMessage(string room, string text) =>
        socket.Rooms.Contains(room) ? Clients.Room(room).MessageReceived(new ChatMessage(room, _user ?? "anonymous", text)) : Task.CompletedTask;

    public Task Say(string room, string text) => SendMessage(room, text);

    public Task ShareFile(string room, string name, byte[] data) =>
        socket.Rooms.Contains(room) ? Clients.Room(room).FileShared(new SharedFile(room, _user ?? "anonymous", name, data)) : Task.CompletedTask;

    public override async Task OnDisconnectedAsync(string reason)
    {
        foreach (var room in rooms.RemoveSocket(socket.Id))
        {
            await Clients.Room(room).UserLeft(room, _user ?? "anonymous");
        }
    }
}
