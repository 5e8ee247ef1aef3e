using System.Net;
using Microsoft.Extensions.Time.Testing;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public sealed class HeartbeatTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Ping_NoPollOpen_QueuedAtIntervalAndSentByNextPoll()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        await connection.SendAsync(EngineIOMessage.Text("before"));

        time.Advance(Interval);

        Assert.Equal("4before" + PollingClient.RecordSeparator + "2", await client.PollAsync());
    }

    [Fact]
    public async Task PingTimeout_NoPollEverOpened_DeadlineRunsFromWhenPingWasQueued()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = (EngineIOSession)await server.NextConnectionAsync();

        time.Advance(Interval);
        time.Advance(PingTimeout - TimeSpan.FromMilliseconds(1));
        Assert.True(connection.IsAlive);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Theory]
    [InlineData(EngineIOCloseReason.TransportClose, "transport close")]
    [InlineData(EngineIOCloseReason.PingTimeout, "ping timeout")]
    [InlineData(EngineIOCloseReason.ParseError, "parse error")]
    [InlineData(EngineIOCloseReason.ForcedClose, "forced close")]
    [InlineData(EngineIOCloseReason.TransportError, "transport error")]
    [InlineData(EngineIOCloseReason.SlowConsumer, "slow consumer")]
    public void ToReasonString_EachReason_ReferenceWording(EngineIOCloseReason reason, string wording) =>
        Assert.Equal(wording, reason.ToReasonString());

    [Fact]
    public async Task Pong_WithinTimeout_KeepsSessionAndNextPingFollowsAnInterval()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = (EngineIOSession)await server.NextConnectionAsync();
        time.Advance(Interval);
        Assert.Equal("2", await client.PollAsync());

        await client.PostAsync("3");
        time.Advance(PingTimeout);
        Assert.True(connection.IsAlive);
        var poll = client.PollAsync();
        await PollingTests.WaitUntilPollIsPendingAsync(connection);
        time.Advance(Interval - PingTimeout);

        Assert.Equal("2", await poll);
        Assert.True(connection.IsAlive);
    }

    [Fact]
    public async Task Pong_Unsolicited_RestartsTheInterval()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        time.Advance(Interval - TimeSpan.FromSeconds(5));

        await client.PostAsync("3");
        time.Advance(TimeSpan.FromSeconds(5));
        await connection.SendTextAsync("no ping yet");
        Assert.Equal("4no ping yet", await client.PollAsync());
        time.Advance(Interval - TimeSpan.FromSeconds(5));

        Assert.Equal("2", await client.PollAsync());
    }

    [Fact]
    public async Task PingTimeout_NoPong_ClosesSessionAndPendingPollGetsClose()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        time.Advance(Interval);
        Assert.Equal("2", await client.PollAsync());
        var poll = client.PollAsync();
        await PollingTests.WaitUntilPollIsPendingAsync(connection);

        time.Advance(PingTimeout);

        Assert.Equal("1", await poll);
        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
        using var after = await client.GetAsync();
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Fact]
    public async Task PingTimeout_DeadlinePassedButTimerLate_RequestFindsSessionClosed()
    {
        var clock = new ManualClock();
        await using var server = await EngineIOTestServer.StartAsync(time: clock);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        clock.Move(Interval);
        clock.FireDue();
        Assert.Equal("2", await client.PollAsync());

        clock.Move(PingTimeout); // no timer fires

        using var response = await client.GetAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task PingTimeout_OtherPacketWhileWaiting_ExtendsDeadlineOnce()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = (EngineIOSession)await server.NextConnectionAsync();
        time.Advance(Interval);
        Assert.Equal("2", await client.PollAsync());
        time.Advance(PingTimeout - TimeSpan.FromSeconds(1));

        await client.PostAsync("4still here");
        time.Advance(PingTimeout - TimeSpan.FromSeconds(1));
        Assert.True(connection.IsAlive);
        await client.PostAsync("4again");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task Ping_FromV4Client_ClosesWithTransportError()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();

        await client.PostAsync("2");

        Assert.Equal(EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Fact]
    public async Task PingTimeout_OverWebSocket_ClosesSocket()
    {
        var time = new FakeTimeProvider();
        await using var server = await EngineIOTestServer.StartAsync(time: time);
        await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
        Assert.StartsWith("0{", await ws.ReceiveTextAsync(), StringComparison.Ordinal);
        var connection = await server.NextConnectionAsync();

        time.Advance(Interval);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("3");
        await ws.SendTextAsync("4sync");
        await using (var reader = connection.ReadAllAsync().GetAsyncEnumerator())
        {
            // Packets are handled in order: once "sync" is in, so is the pong.
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal("sync", reader.Current.GetText());
        }

        time.Advance(Interval);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        time.Advance(PingTimeout);

        await ws.ExpectCloseAsync();
        Assert.Equal(EngineIOCloseReason.PingTimeout, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }
}
