using System.Text.Json.Serialization;
using TypedSio.Hubs;
using TypedSio.SocketIO;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests.SocketIO;

public sealed record Note(string Text, byte[] Data);

/// <summary>What the client emits to tests/js/client-socket-server.mjs.</summary>
[SocketContractSerializer(typeof(TypedHubJsonContext))]
public interface IEchoServer
{
    Task Message(Note note);

    [SocketEvent("message-with-ack")]
    Task<Note> EchoWithAck(Note note, CancellationToken cancellationToken);

    Task Ask(string question);
}

/// <summary>What the server emits back.</summary>
[SocketContractSerializer(typeof(TypedHubJsonContext))]
public interface IEchoClient
{
    [SocketEvent("message-back")]
    Task MessageBack(Note note);

    [SocketEvent("question")]
    Task<string> Question(string question);

    [SocketEvent("answer")]
    Task Answer(string answer);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(SocketIOBinaryConverter)])]
[JsonSerializable(typeof(Note))]
internal sealed partial class TypedHubJsonContext : JsonSerializerContext;

public sealed class SocketIOTypedHubTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(TransportMode.Polling)]
    [InlineData(TransportMode.WebSocket)]
    public async Task GeneratedProxyAndReceiver_OverClientSocket_RoundTripWithBinaryAndAcks(TransportMode mode)
    {
        await using var server = await SocketServer.StartAsync();
        await using var manager = server.CreateManager(mode, output);
        var socket = manager.Socket("/chat");
        var receiver = new EchoReceiver();
        using var registration = socket.Register<IEchoClient>(receiver);
        var proxy = socket.CreateProxy<IEchoServer>(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync();

        await proxy.Message(new Note("hello", [1, 2]));
        var echoed = await proxy.EchoWithAck(new Note("acked", [3]), CancellationToken.None);
        await proxy.Ask("ready?");

        var back = await receiver.MessageBackReceived.Task.WaitAsync(SocketEvents.Patience);
        Assert.Equal("hello", back.Text);
        Assert.Equal(new byte[] { 1, 2 }, back.Data);
        Assert.Equal("acked", echoed.Text);
        Assert.Equal(new byte[] { 3 }, echoed.Data);
        Assert.Equal("yes to ready?", await receiver.AnswerReceived.Task.WaitAsync(SocketEvents.Patience));
        Assert.Equal("""[{"text":"hello","data":{"binary":[1,2]}}]""", (await server.WaitForLineAsync("EVENT /chat message "))[3]);
    }

    private sealed class EchoReceiver : IEchoClient
    {
        public TaskCompletionSource<Note> MessageBackReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> AnswerReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task MessageBack(Note note)
        {
            MessageBackReceived.TrySetResult(note);
            return Task.CompletedTask;
        }

        public Task<string> Question(string question) => Task.FromResult("yes to " + question);

        public Task Answer(string answer)
        {
            AnswerReceived.TrySetResult(answer);
            return Task.CompletedTask;
        }
    }
}
