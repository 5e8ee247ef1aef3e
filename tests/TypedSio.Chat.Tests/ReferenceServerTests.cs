using TypedSio.Client;
using TypedSio.Testing;

namespace TypedSio.Chat.Tests;

/// <summary>Typed .NET clients against the official socket.io server (tests/js/chat-server.mjs, the same event names).</summary>
public sealed class ReferenceServerTests
{
    [Theory]
    [InlineData(EngineIOTransportKind.Polling)]
    [InlineData(EngineIOTransportKind.WebSocket)]
    public async Task TypedClients_NodeReferenceServer_JoinAcksRoomsCustomNameBinaryAndLeave(EngineIOTransportKind transport)
    {
        var port = FreePort.Next();
        await using var server = await NodeProcess.StartAsync("chat-server.mjs", [port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        await ChatScenario.RunAsync(new Uri($"http://127.0.0.1:{port}"), transport);

        // The wire names the reference saw: the contract's camelCase names and the [SocketEvent] one.
        var events = server.Output.Where(l => l.StartsWith("EVENT ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToHashSet();
        Assert.Superset(new HashSet<string> { "join", "sendMessage", "chat", "shareFile" }, events);
        Assert.Contains(server.Output, l => l.StartsWith("EVENT chat message [\"lobby\",", StringComparison.Ordinal));
        Assert.Contains(server.Output, l => l.StartsWith("EVENT shareFile [\"lobby\",\"bytes.bin\",{\"type\":\"Buffer\",\"data\":[0,1,2,255]}]", StringComparison.Ordinal));
    }
}
