using Chat.Contracts;

namespace TypedSio.Chat.Tests;

/// <summary>The client contract implemented by a test: every event becomes a line in <see cref="Log"/>.</summary>
public sealed class ChatReceiver : IChatClient
{
    public LineLog Log { get; } = new();

    public Task MessageReceived(ChatMessage message) => Add($"message {message.Room} {message.User}: {message.Text}");

    public Task UserJoined(string room, string user) => Add($"joined {room} {user}");

    public Task UserLeft(string room, string user) => Add($"left {room} {user}");

    public Task FileShared(SharedFile file) => Add($"file {file.Room} {file.User} {file.Name} {Convert.ToHexString(file.Data)}");

    private Task Add(string line)
    {
        Log.Add(line);
        return Task.CompletedTask;
    }
}
