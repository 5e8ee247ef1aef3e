using System.Text.Json.Serialization;
using TypedSio;
using TypedSio.SocketIO;

namespace TypedSio.Hubs.Tests.Chat;

public sealed record ChatMessage(string Text, string? Author = null);

public sealed record JoinResult(bool Accepted, int Members);

public enum Mood
{
    Calm,
    Excited,
}

public sealed record Picture(string Name, byte[] Data);

[SocketContractSerializer(typeof(ChatJsonContext))]
public interface IChatServer
{
    Task SendMessage(string room, ChatMessage message);

    Task<JoinResult> Join(string room, CancellationToken cancellationToken);

    [SocketEvent("chat message")]
    ValueTask Shout(string text, Mood mood);

    Task Upload(byte[] raw, ReadOnlyMemory<byte> more, Picture picture);

    ValueTask<IReadOnlyList<string>> ListRooms(int? limit);
}

[SocketContractSerializer(typeof(ChatJsonContext))]
public interface IChatClient
{
    Task MessageReceived(ChatMessage message);

    Task<bool> Confirm(string question);
}

[SocketContract(NamingPolicy = SocketEventNamingPolicy.SnakeCase)]
[SocketContractSerializer(typeof(ChatJsonContext))]
public interface IRpc<TRequest, TResponse>
{
    Task<TResponse> CallRemote(TRequest request);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(SocketIOBinaryConverter)])]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(JoinResult))]
[JsonSerializable(typeof(Mood))]
[JsonSerializable(typeof(Picture))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<int>))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
