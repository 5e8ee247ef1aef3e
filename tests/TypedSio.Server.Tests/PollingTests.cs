using System.Net;
using System.Text;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public sealed class PollingTests
{
    private const string RS = PollingClient.RecordSeparator;

    [Fact]
    public async Task Handshake_Polling_AnswersOpenPacketWithReferenceFields()
    {
        await using var server = await EngineIOTestServer.StartAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });

        using var response = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Matches("^0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"\\],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000\\}$", body);
        var connection = await server.NextConnectionAsync();
        Assert.Equal(EngineIOTransportNames.Polling, connection.Transport);
        Assert.Contains(connection.Id, body, StringComparison.Ordinal);
        Assert.Equal("4", connection.Request.Query["EIO"]);
        Assert.Equal(IPAddress.Loopback, connection.Request.RemoteIpAddress);
    }

    [Fact]
    public async Task Handshake_UpgradesDisallowed_AnnouncesNoUpgrades()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowUpgrades = false);
        var body = await new PollingClient(server).HandshakeAsync();
        Assert.Contains("\"upgrades\":[]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_NothingToSend_IsHeldUntilAMessageIsSent()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        var poll = client.PollAsync();
        await connection.SendAsync(EngineIOMessage.Text("hello"));

        // Held, not answered empty or with a noop: the answer is the message sent after the poll arrived.
        Assert.Equal("4hello", await poll);
    }

    [Fact]
    public async Task Get_SeveralPacketsQueued_FlushesThemInOnePayload()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await connection.SendTextAsync("a");
        await connection.SendBinaryAsync(new byte[] { 1, 2, 3 });
        await connection.SendAsync(EngineIOMessage.Text("é😀"));

        Assert.Equal("4a" + RS + "bAQID" + RS + "4é😀", await client.PollAsync());
    }

    [Fact]
    public async Task Post_SeveralPackets_AllHandedOverBeforeOk()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await client.PostAsync("4a" + RS + "bAQID" + RS + "4c");

        await using var reader = connection.ReadAllAsync().GetAsyncEnumerator();
        var received = new List<EngineIOMessage>();
        for (var i = 0; i < 3; i++)
        {
            var next = reader.MoveNextAsync();
            Assert.True(next.IsCompleted, "every packet of the POST is queued for the application before 'ok'");
            Assert.True(await next);
            received.Add(reader.Current);
        }

        Assert.Equal("a", received[0].GetText());
        Assert.True(received[1].IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3 }, received[1].Data.ToArray());
        Assert.Equal("c", received[2].GetText());
    }

    [Fact]
    public async Task Post_ResponseHeaders_MatchReference()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();

        using var response = await client.PostRawAsync("4x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(2, response.Content.Headers.ContentLength);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_SecondConcurrentPoll_Refused400AndPendingPollGetsClose()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        var first = client.PollAsync();
        await WaitUntilPollIsPendingAsync(connection);

        using var second = await client.GetAsync();

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await second.Content.ReadAsStringAsync());
        Assert.Equal("1", await first);
        Assert.Equal(EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task Get_ClientAbortsPendingPoll_ClosesWithTransportError()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        using var abort = new CancellationTokenSource();
        var poll = server.Http.GetAsync(client.SessionUrl, abort.Token);
        await WaitUntilPollIsPendingAsync(connection);

        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
        Assert.Equal(EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task Post_ClosePacketWhilePollPending_PollGetsNoopAndReasonIsTransportClose()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        var poll = client.PollAsync();
        await WaitUntilPollIsPendingAsync(connection);

        await client.PostAsync("1");

        Assert.Equal("6", await poll);
        Assert.Equal(EngineIOCloseReason.TransportClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
        Assert.Equal("transport close", EngineIOCloseReason.TransportClose.ToReasonString());
    }

    [Fact]
    public async Task Post_UndecodablePacket_ClosesSessionWithParseError()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await client.PostAsync("4before" + RS + "9oops" + RS + "4after");

        Assert.Equal(EngineIOCloseReason.ParseError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
        var received = new List<string>();
        await foreach (var message in connection.ReadAllAsync())
        {
            received.Add(message.GetText());
        }

        Assert.Equal(["before"], received);
        using var after = await client.GetAsync();
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
        Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_BodyOverMaxHttpBufferSize_Answers413()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.MaxHttpBufferSize = 100);
        var client = new PollingClient(server);
        var handshake = await client.HandshakeAsync();
        Assert.Contains("\"maxPayload\":100", handshake, StringComparison.Ordinal);

        using var response = await client.PostRawAsync("4" + new string('x', 100));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await client.PostAsync("4" + new string('x', 99));
    }

    [Fact]
    public async Task Post_BinaryContentTypeInV4_Refused400AndSessionClosed()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        using var response = await client.PostBytesAsync("4x"u8.ToArray(), "application/octet-stream");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task CloseAsync_PollPending_PollGetsClosePacket()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        var poll = client.PollAsync();
        await WaitUntilPollIsPendingAsync(connection);

        await connection.CloseAsync().WaitAsync(EngineIOTestServer.Timeout);

        Assert.Equal("1", await poll);
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed);
    }

    [Fact]
    public async Task CloseAsync_NoPollPending_NextPollsGetQueuedPacketsThenNoopAndClose()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        await connection.SendAsync(EngineIOMessage.Text("bye"));

        var closing = connection.CloseAsync();
        Assert.False(await connection.SendAsync(EngineIOMessage.Text("dropped")));

        Assert.Equal("4bye", await client.PollAsync());
        Assert.Equal("6" + RS + "1", await client.PollAsync());
        Assert.Equal(EngineIOCloseReason.ForcedClose, await closing.WaitAsync(EngineIOTestServer.Timeout).ContinueWith(_ => connection.Closed.Result));
    }

    [Fact]
    public async Task Post_BinaryAsBase64_ReachesApplicationAsBinary()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await client.PostAsync("bAAEC/w==");

        await using var reader = connection.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.True(reader.Current.IsBinary);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, reader.Current.Data.ToArray());
    }

    [Fact]
    public async Task SendAsync_OutboundQueueFull_ClosesSlowConsumer()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.MaxBufferedPackets = 3);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        Assert.True(await connection.SendAsync(EngineIOMessage.Text("1")));
        Assert.True(await connection.SendAsync(EngineIOMessage.Text("2")));
        Assert.True(await connection.SendAsync(EngineIOMessage.Text("3")));
        Assert.False(await connection.SendAsync(EngineIOMessage.Text("4")));

        Assert.Equal(EngineIOCloseReason.SlowConsumer, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task Request_PutWithSid_Answers500()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();

        using var response = await server.Http.PutAsync(client.SessionUrl, new StringContent("4x", Encoding.UTF8));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task ServerStop_PollPending_PollGetsCloseAndSessionEnds()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        var poll = client.PollAsync();
        await WaitUntilPollIsPendingAsync(connection);

        await server.StopAsync();

        Assert.Equal("1", await poll);
        Assert.Equal(EngineIOCloseReason.ForcedClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    internal static Task WaitUntilPollIsPendingAsync(IEngineIOConnection connection) =>
        ((EngineIOSession)connection).WhenPollPendingAsync().WaitAsync(EngineIOTestServer.Timeout);
}
