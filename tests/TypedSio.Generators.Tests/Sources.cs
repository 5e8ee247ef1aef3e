namespace TypedSio.Generators.Tests;

/// <summary>Source texts the tests compile. JSON contexts are hand-written: the System.Text.Json generator does not run here.</summary>
internal static class Sources
{
    public const string ChatContracts = """
        using System.Collections.Generic;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using System.Threading;
        using System.Threading.Tasks;
        using TypedSio;

        namespace Chat;

        public sealed record ChatMessage(string Text, string? Author);

        public sealed record JoinResult(bool Accepted, int Members);

        public enum Mood { Calm, Excited }

        [SocketContractSerializer(typeof(ChatJsonContext))]
        public interface IChatServer
        {
            Task SendMessage(string room, ChatMessage message);

            Task<JoinResult> Join(string room, CancellationToken ct);

            [SocketEvent("chat message")]
            ValueTask Shout(string? text, Mood mood);

            ValueTask<IReadOnlyList<string>> ListRooms(int? limit);
        }

        [SocketContractSerializer(typeof(ChatJsonContext))]
        public interface IChatClient
        {
            Task MessageReceived(ChatMessage message);

            Task<bool> Confirm(string question);
        }

        [JsonSerializable(typeof(JoinResult))]
        [JsonSerializable(typeof(ChatMessage))]
        [JsonSerializable(typeof(Mood))]
        [JsonSerializable(typeof(IReadOnlyList<string>))]
        public sealed class ChatJsonContext : JsonSerializerContext
        {
            public ChatJsonContext() : base(null) { }

            public static ChatJsonContext Default { get; } = new();

            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;

            public override JsonTypeInfo? GetTypeInfo(System.Type type) => null;
        }
        """;

    public const string ChatHub = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using TypedSio.Hubs;

        namespace Chat.Server;

        public sealed partial class ChatHub : SocketHub<IChatClient>, IChatServer
        {
            public Task SendMessage(string room, ChatMessage message) => Clients.Room(room).MessageReceived(message);

            public Task<JoinResult> Join(string room, CancellationToken ct) => Task.FromResult(new JoinResult(true, 1));

            public ValueTask Shout(string? text, Mood mood) => default;

            public ValueTask<IReadOnlyList<string>> ListRooms(int? limit) => new(new List<string>());

            public Task<IReadOnlyList<bool>> AskAsync() => Clients.All.InvokeWithAcksAsync(c => c.Confirm("ok?"), System.TimeSpan.FromSeconds(1));
        }
        """;

    public const string ChatClientUsage = """
        using System.Threading.Tasks;
        using TypedSio.Hubs;

        namespace Chat.App;

        public static class Startup
        {
            public static IChatServer Connect(ISocketIOEmitter socket, ISocketIOEventRegistry events, IChatClient receiver)
            {
                events.Register<IChatClient>(receiver);
                return socket.CreateProxy<IChatServer>();
            }
        }
        """;
}
