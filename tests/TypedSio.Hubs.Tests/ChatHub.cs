using TypedSio.Hubs.Tests.Chat;

namespace TypedSio.Hubs.Tests;

public sealed partial class ChatHub : SocketHub<IChatClient>, IChatServer
{
    public List<string> Calls { get; } = [];

    public async Task SendMessage(string room, ChatMessage message)
    {
        Calls.Add($"SendMessage({room}, {message})");
        await Clients.Room(room).MessageReceived(message);
    }

    public Task<JoinResult> Join(string room, CancellationToken cancellationToken)
    {
        Calls.Add($"Join({room}, {cancellationToken.CanBeCanceled})");
        return Task.FromResult(new JoinResult(true, 3));
    }

    public ValueTask Shout(string text, Mood mood)
    {
        Calls.Add($"Shout({text}, {mood})");
        return ValueTask.CompletedTask;
    }

    public Task Upload(byte[] raw, ReadOnlyMemory<byte> more, Picture picture)
    {
        Calls.Add($"Upload({Convert.ToHexString(raw)}, {Convert.ToHexString(more.Span)}, {picture.Name}:{Convert.ToHexString(picture.Data)})");
        return Task.CompletedTask;
    }

    ValueTask<IReadOnlyList<string>> IChatServer.ListRooms(int? limit) =>
        ValueTask.FromResult<IReadOnlyList<string>>(["lobby", "games"]);

    public Task<IReadOnlyList<bool>> AskEveryoneAsync(string question) =>
        Clients.All.InvokeWithAcksAsync(c => c.Confirm(question), TimeSpan.FromSeconds(5));
}
