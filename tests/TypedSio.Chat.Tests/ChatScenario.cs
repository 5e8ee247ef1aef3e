using TypedSio.Client;

namespace TypedSio.Chat.Tests;

/// <summary>
/// What typed .NET clients do against a chat server (the sample's hub, or the same events on the official Node server):
/// joins acknowledged with the members, room broadcasts, the custom "chat message" name, binary files, leaving.
/// </summary>
public static class ChatScenario
{
    public static async Task RunAsync(Uri server, EngineIOTransportKind transport)
    {
        await using var alice = await ChatMember.ConnectAsync(server, transport);
        var bob = await ChatMember.ConnectAsync(server, transport);
        await using var carol = await ChatMember.ConnectAsync(server, transport);
        try
        {
            var aliceJoined = await alice.Server.Join("lobby", "alice", CancellationToken.None);
            Assert.Equal("lobby", aliceJoined.Room);
            Assert.Equal(["alice"], aliceJoined.Members);
            var bobJoined = await bob.Server.Join("lobby", "bob", CancellationToken.None);
            Assert.Equal(["alice", "bob"], bobJoined.Members);
            Assert.Equal(["carol"], (await carol.Server.Join("games", "carol", CancellationToken.None)).Members);
            await alice.Log.WaitForAsync("joined lobby bob");

            await alice.Server.SendMessage("lobby", "hi bob");
            await bob.Log.WaitForAsync("message lobby alice: hi bob");
            await alice.Log.WaitForAsync("message lobby alice: hi bob");

            await bob.Server.Say("lobby", "hi alice, from \"chat message\"");
            await alice.Log.WaitForAsync("message lobby bob: hi alice, from \"chat message\"");

            await alice.Server.ShareFile("lobby", "bytes.bin", [0, 1, 2, 0xFF]);
            await bob.Log.WaitForAsync("file lobby alice bytes.bin 000102FF");

            // Everything sent to the lobby reached bob before carol's own message comes back to her on her
            // connection, so by then she would have seen any leak from the lobby.
            await carol.Server.SendMessage("games", "anyone?");
            await carol.Log.WaitForAsync("message games carol: anyone?");
            Assert.DoesNotContain(carol.Log.Lines, l => l.Contains("lobby", StringComparison.Ordinal));

            await bob.DisposeAsync();
            await alice.Log.WaitForAsync("left lobby bob");
        }
        finally
        {
            await bob.DisposeAsync();
        }
    }
}
