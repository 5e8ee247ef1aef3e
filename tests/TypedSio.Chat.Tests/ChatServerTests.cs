using TypedSio.Client;
using TypedSio.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace TypedSio.Chat.Tests;

/// <summary>The chat sample's server, run as `dotnet Chat.Server.dll --port N`, with typed .NET and official JS clients.</summary>
public sealed class ChatServerTests
{
    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task TypedClients_ChatServer_JoinAcksRoomsCustomNameBinaryAndLeave(EngineIOTransportKind transport)
    {
        var (server, url) = await SampleProcess.StartServerAsync();
        await using (server)
        {
            await ChatScenario.RunAsync(url, transport);
        }
    }

    [Theory]
    [InlineData("polling", EngineIOTransportKind.Polling)]
    [InlineData("websocket", EngineIOTransportKind.WebSocket)]
    public async Task OfficialJsClient_ChatServer_ChatMessageEventAndBinaryBothWays(string jsTransport, EngineIOTransportKind transport)
    {
        var (server, url) = await SampleProcess.StartServerAsync();
        await using (server)
        {
            await using var dotnet = await ChatMember.ConnectAsync(url, transport);
            Assert.Equal(["net"], (await dotnet.Server.Join("lobby", "net", CancellationToken.None)).Members);
            await using var js = await NodeProcess.StartAsync("chat-client.mjs", [url.ToString(), jsTransport, "js", "lobby"], readyPrefix: null);

            var ready = await js.WaitForLineAsync(l => l.StartsWith("READY ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.Equal($"READY {jsTransport} {{\"room\":\"lobby\",\"members\":[\"js\",\"net\"]}}", ready);
            await dotnet.Log.WaitForAsync("joined lobby js");

            await js.SendLineAsync("say hello from the official client");
            await dotnet.Log.WaitForAsync("message lobby js: hello from the official client");

            await dotnet.Server.SendMessage("lobby", "hello from .NET");
            Assert.Equal(
                "MESSAGE {\"room\":\"lobby\",\"user\":\"net\",\"text\":\"hello from .NET\"}",
                await js.WaitForLineAsync(l => l.StartsWith("MESSAGE {\"room\":\"lobby\",\"user\":\"net\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60)));

            await js.SendLineAsync("file js.txt abc");
            await dotnet.Log.WaitForAsync("file lobby js js.txt 616263");

            await dotnet.Server.ShareFile("lobby", "net.bin", "xyz"u8.ToArray());
            Assert.Equal("FILE net.bin net true xyz", await js.WaitForLineAsync(l => l.StartsWith("FILE net.bin", StringComparison.Ordinal), TimeSpan.FromSeconds(60)));
        }
    }
}
