using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ManyClients_BothTransports_EachGetsOwnEchoesInOrder()
    {
        await using var server = await EngineIOTestServer.StartEchoAsync();

        var webSockets = Enumerable.Range(0, 40).Select(async n =>
        {
            await using var ws = await WebSocketClient.ConnectAsync(server.WebSocketUri("EIO=4&transport=websocket"));
            await ws.ReceiveTextAsync();
            for (var i = 0; i < 20; i++)
            {
                await ws.SendTextAsync($"4ws{n}-{i}");
            }

            for (var i = 0; i < 20; i++)
            {
                Assert.Equal($"4ws{n}-{i}", await ws.ReceiveTextAsync());
            }
        });
        var polls = Enumerable.Range(0, 40).Select(async n =>
        {
            var client = new PollingClient(server);
            await client.HandshakeAsync();
            await client.PostAsync(string.Join(PollingClient.RecordSeparator, Enumerable.Range(0, 20).Select(i => $"4p{n}-{i}")));
            var received = new List<string>();
            while (received.Count < 20)
            {
                received.AddRange((await client.PollAsync()).Split(PollingClient.RecordSeparator));
            }

            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"4p{n}-{i}"), received);
        });

        await Task.WhenAll(webSockets.Concat(polls)).WaitAsync(TimeSpan.FromSeconds(60));
    }
}
