using System.Text.Json.Serialization;
using TypedSio;
using TypedSio.SocketIO;

namespace Chat.Contracts;

/// <summary>A chat line as every member of the room sees it.</summary>
public sealed record ChatMessage(string Room, string User, string Text);

/// <summary>The server's answer to <see cref="IChatServer.Join"/>: who is in the room now.</summary>
public sealed record JoinResult(string Room, IReadOnlyList<string> Members);

/// <summary>A small file shared with a room; <see cref="Data"/> travels as a Socket.IO binary attachment.</summary>
public sealed record SharedFile(string Room, string User, string Name, byte[] Data);

/// <summary>Events the client emits (the server's hub implements them).</summary>
[SocketContractSerializer(typeof(ChatJsonContext))]
public interface IChatServer
{
    /// <summary>Joins a room under a user name; acknowledged with the room's members.</summary>
    Task<JoinResult> Join(string room, string user, CancellationToken cancellationToken);

    /// <summary>Sends a message to a room the socket has joined.</summary>
    Task SendMessage(string room, string text);

    /// <summary>The same as <see cref="SendMessage"/> under the plain name a browser page uses: <c>socket.emit("chat message", room, text)</c>.</summary>
    [SocketEvent("chat message")]
    Task Say(string room, string text);

    /// <summary>Shares bytes with a room.</summary>
    Task ShareFile(string room, string name, byte[] data);
}

/// <summary>Events the server emits (the clients implement them).</summary>
[SocketContractSerializer(typeof(ChatJsonContext))]
public interface IChatClient
{
    /// <summary>A message was sent to a room this socket is in (its own messages too).</summary>
    Task MessageReceived(ChatMessage message);

    /// <summary>Someone joined a room this socket is in.</summary>
    Task UserJoined(string room, string user);

    /// <summary>Someone left a room this socket is in.</summary>
    Task UserLeft(string room, string user);

    /// <summary>Someone shared a file with a room this socket is in.</summary>
    Task FileShared(SharedFile file);
}

/// <summary>Source-generated JSON metadata for the contract types: no reflection, so trimming and native AOT are safe.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(SocketIOBinaryConverter)])]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(JoinResult))]
[JsonSerializable(typeof(SharedFile))]
public sealed partial class ChatJsonContext : JsonSerializerContext;
