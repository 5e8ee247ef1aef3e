using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;
using TypedSio.Redis.Tests.Support;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>Requests published by hand, as older adapters and other tools send them: each is answered, garbage is skipped.</summary>
public sealed class WireRequestTests
{
    private const string Requests = "socket.io-request#/#";

    [Fact]
    public async Task LegacyRequests_SocketsAndSingleSocketForms_AreAnswered()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var server = await DotnetServer.StartAsync(redis);
        await using var client = await TestClient.ConnectAsync(server.Url);
        await using var raw = await DotnetServer.ConnectAsync(redis);
        var responses = Channel.CreateUnbounded<string>();
        (await raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal("socket.io-response#/#"))).OnMessage(m => responses.Writer.TryWrite((string)m.Message!));
        var publisher = raw.GetSubscriber();

        // Garbage first: the subscription must survive it and handle what follows.
        await publisher.PublishAsync(RedisChannel.Literal(Requests), new byte[] { 0xc1, 0x00 });
        await publisher.PublishAsync(RedisChannel.Literal("socket.io#/#"), "{not msgpack"u8.ToArray());

        await publisher.PublishAsync(RedisChannel.Literal(Requests), Encoding.UTF8.GetBytes("""{"uid":"other","requestId":"r1","type":0,"rooms":[]}"""));
        using (var sockets = JsonDocument.Parse(await ReadAsync(responses)))
        {
            Assert.Equal("r1", sockets.RootElement.GetProperty("requestId").GetString());
            Assert.Equal(client.Id, sockets.RootElement.GetProperty("sockets")[0].GetString());
        }

        await publisher.PublishAsync(RedisChannel.Literal(Requests), Encoding.UTF8.GetBytes($$"""{"uid":"other","requestId":"r2","type":2,"sid":"{{client.Id}}","room":"solo"}"""));
        Assert.Equal("""{"requestId":"r2"}""", await ReadAsync(responses));
        Assert.Contains("solo", server.Main.Sockets[client.Id].Rooms);

        await publisher.PublishAsync(RedisChannel.Literal(Requests), Encoding.UTF8.GetBytes($$"""{"uid":"other","requestId":"r3","type":3,"sid":"{{client.Id}}","room":"solo"}"""));
        Assert.Equal("""{"requestId":"r3"}""", await ReadAsync(responses));
        Assert.DoesNotContain("solo", server.Main.Sockets[client.Id].Rooms);

        var id = client.Id;
        await publisher.PublishAsync(RedisChannel.Literal(Requests), Encoding.UTF8.GetBytes($$"""{"uid":"other","requestId":"r4","type":4,"sid":"{{client.Id}}","close":false}"""));
        Assert.Equal("""{"requestId":"r4"}""", await ReadAsync(responses));
        Assert.False(server.Main.Sockets.ContainsKey(id));
    }

    private static async Task<string> ReadAsync(Channel<string> responses)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await responses.Reader.ReadAsync(timeout.Token);
    }
}
