using TypedSio.Hubs;
using TypedSio.Hubs.Tests.Chat;
using TypedSio.SocketIO;

[assembly: SocketProxy(typeof(IRpc<int, string>))]

namespace TypedSio.Hubs.Tests;

public sealed class ClientProxyTests
{
    private readonly FakeEmitter _emitter = new();

    [Fact]
    public async Task SendMessage_PlainEvent_EmitsNameThenArguments()
    {
        var server = _emitter.CreateProxy<IChatServer>();

        await server.SendMessage("room", new ChatMessage("hi"));

        var packet = Assert.Single(_emitter.Sent);
        Assert.Equal("""2["sendMessage","room",{"text":"hi"}]""", packet.ToString());
        Assert.Null(packet.AckId);
    }

    [Fact]
    public async Task Join_AckedEvent_DeserializesTheReply()
    {
        var server = _emitter.CreateProxy<IChatServer>(TimeSpan.FromSeconds(3));
        _emitter.Replies.Enqueue(Wire.Ack("""[{"accepted":true,"members":7}]"""));

        var result = await server.Join("lobby", CancellationToken.None);

        Assert.Equal(new JoinResult(true, 7), result);
        Assert.Equal("""2["join","lobby"]""", _emitter.Sent[0].ToString());
        Assert.Equal(TimeSpan.FromSeconds(3), _emitter.Timeouts[0]);
    }

    [Fact]
    public async Task Join_CancelledToken_IsPassedToTheEmitter()
    {
        var server = _emitter.CreateProxy<IChatServer>();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => server.Join("lobby", cts.Token));
    }

    [Fact]
    public async Task Shout_CustomEventNameAndEnum_UsesTheAttributeName()
    {
        var server = _emitter.CreateProxy<IChatServer>();

        await server.Shout("hey", Mood.Excited);

        Assert.Equal("""2["chat message","hey",1]""", _emitter.Sent[0].ToString());
    }

    [Fact]
    public async Task Upload_BinaryArguments_BecomeAttachmentsInOrder()
    {
        var server = _emitter.CreateProxy<IChatServer>();

        await server.Upload([1, 2], new byte[] { 3 }, new Picture("p", [4, 5]));

        var packet = _emitter.Sent[0];
        Assert.Equal(SocketIOPacketType.BinaryEvent, packet.Type);
        Assert.Equal(
            """["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},{"name":"p","data":{"_placeholder":true,"num":2}}]""",
            packet.PayloadText);
        Assert.Equal(["0102", "03", "0405"], packet.Attachments.Select(a => Convert.ToHexString(a.Span)));
    }

    [Fact]
    public async Task ListRooms_NullableArgumentAndCollectionResult_RoundTrip()
    {
        var server = _emitter.CreateProxy<IChatServer>();
        _emitter.Replies.Enqueue(Wire.Ack("""[["a","b"]]"""));

        var rooms = await server.ListRooms(null);

        Assert.Equal(["a", "b"], rooms);
        Assert.Equal("""2["listRooms",null]""", _emitter.Sent[0].ToString());
    }

    [Fact]
    public async Task CallRemote_GenericContractClosedAtUsage_UsesSnakeCaseAndClosedTypes()
    {
        var rpc = _emitter.CreateProxy<IRpc<ChatMessage, JoinResult>>();
        _emitter.Replies.Enqueue(Wire.Ack("""[{"accepted":false,"members":0}]"""));

        var result = await rpc.CallRemote(new ChatMessage("q", "me"));

        Assert.Equal(new JoinResult(false, 0), result);
        Assert.Equal("""2["call_remote",{"text":"q","author":"me"}]""", _emitter.Sent[0].ToString());
    }

    [Fact]
    public async Task Register_Receiver_HandlesEventsAndAnswersAcks()
    {
        var registry = new FakeRegistry();
        var receiver = new Receiver();
        using var subscriptions = registry.Register<IChatClient>(receiver);

        var plain = await registry.DeliverAsync("""2["messageReceived",{"text":"hi","author":"bob"}]""");
        var ack = await registry.DeliverAsync("""21["confirm","ready?"]""");

        Assert.Null(plain);
        Assert.Equal([new ChatMessage("hi", "bob")], receiver.Messages);
        Assert.NotNull(ack);
        Assert.Equal(SocketIOPacketType.Ack, ack.Type);
        Assert.Equal("[true]", ack.PayloadText);
        Assert.Equal(["ready?"], receiver.Questions);
    }

    [Fact]
    public void Register_Disposed_RemovesEveryHandler()
    {
        var registry = new FakeRegistry();

        registry.Register<IChatClient>(new Receiver()).Dispose();

        Assert.Empty(registry.Handlers);
    }

    [Fact]
    public async Task CreateProxy_ThroughTypeParameterWithAssemblyAttribute_UsesTheGeneratedProxy()
    {
        var rpc = CreateOpen<IRpc<int, string>>(_emitter);
        _emitter.Replies.Enqueue(Wire.Ack("""["forty-two"]"""));

        Assert.Equal("forty-two", await rpc.CallRemote(42));
        Assert.Equal("""2["call_remote",42]""", _emitter.Sent[0].ToString());
    }

    [Fact]
    public void CreateProxy_ContractWithoutGeneratedCode_ThrowsWithGuidance()
    {
        // A type parameter hides the contract from the generator, so nothing is registered for it.
        var error = Assert.Throws<InvalidOperationException>(() => CreateOpen<IUnused>(_emitter));

        Assert.Contains("CreateProxy", error.Message, StringComparison.Ordinal);
    }

    private static T CreateOpen<T>(ISocketIOEmitter emitter)
        where T : class => emitter.CreateProxy<T>();

    public interface IUnused
    {
        Task Nothing();
    }

    private sealed class Receiver : IChatClient
    {
        public List<ChatMessage> Messages { get; } = [];

        public List<string> Questions { get; } = [];

        public Task MessageReceived(ChatMessage message)
        {
            Messages.Add(message);
            return Task.CompletedTask;
        }

        public Task<bool> Confirm(string question)
        {
            Questions.Add(question);
            return Task.FromResult(true);
        }
    }
}
