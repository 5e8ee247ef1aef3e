using TypedSio.Client.Tests.Support;
using TypedSio.Testing;
using Xunit.Abstractions;

namespace TypedSio.Client.Tests;

/// <summary>The Engine.IO client with default options under the official socket.io server, carrying raw Socket.IO packets.</summary>
public sealed class SocketIOServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DefaultOptions_SocketIOServer_CarriesConnectEventAndNamespaceRefusal()
    {
        var port = FreePort.Next();
        await using var node = await NodeProcess.StartAsync("client-socketio-server.mjs", [port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var options = new EngineIOClientOptions(new Uri($"http://127.0.0.1:{port}")) { LoggerFactory = new TestOutputLoggerFactory(output) };
        await using var client = new EngineIOClient(options);
        var events = new ClientEvents(client);
        await client.OpenAsync();
        await events.Upgraded;

        // Engine.IO messages carry Socket.IO packets: 0 CONNECT, 2 EVENT, 4 CONNECT_ERROR.
        await client.SendAsync("0");
        Assert.StartsWith("0{\"sid\":\"", (await events.NextMessageAsync()).Text, StringComparison.Ordinal);
        await node.WaitForLineAsync(line => line.StartsWith("CONNECT / ", StringComparison.Ordinal));

        await client.SendAsync("""2["echo","héllo",1]""");
        Assert.Equal("""2["echo","héllo",1]""", (await events.NextMessageAsync()).Text);

        await client.SendAsync("0/nope,");
        Assert.Equal("""4/nope,{"message":"Invalid namespace"}""", (await events.NextMessageAsync()).Text);
    }
}
