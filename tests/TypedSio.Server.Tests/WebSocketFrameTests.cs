using System.Text;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

/// <summary>
/// RFC 6455 as the server reads it, from a hand-written client: over the upgraded request (<c>false</c>) and on the
/// connection-level path (<c>true</c>).
/// </summary>
public sealed class WebSocketFrameTests
{
    private const string Path = "/engine.io/?EIO=4&transport=websocket";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upgrade_AnswersWithTheAcceptKey_ThenTheOpenPacket(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);

        Assert.StartsWith("HTTP/1.1 101 ", ws.Response);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", ws.Response);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", ws.Response);
        Assert.StartsWith("0{\"sid\":", await ws.ReceiveTextAsync());
        Assert.Equal(connectionLevel ? 1 : 0, server.Server.ConnectionLevelSockets);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FragmentedMessage_WithAPingBetweenFragments_ComesWhole_AndThePingIsAnswered(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();

        await ws.SendAsync(
            RawWebSocket.Text("4héllo", fin: false),
            RawWebSocket.Frame(0x9, "p1"u8.ToArray()),
            RawWebSocket.Frame(0x0, Encoding.UTF8.GetBytes(" wor"), fin: false),
            RawWebSocket.Frame(0x0, Encoding.UTF8.GetBytes("ld")));

        var pong = await ws.ReceiveAsync();
        Assert.Equal((true, 0xA, "p1"), (pong.Fin, pong.Opcode, Encoding.ASCII.GetString(pong.Payload)));
        Assert.Equal("4héllo world", await ws.ReceiveTextAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FramesArrivingByteByByte_AreReadWhole(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();
        var text = "4" + new string('x', 300); // a 16-bit length

        await ws.SendByteByByteAsync([.. RawWebSocket.Text(text), .. RawWebSocket.Text("4second")]);

        Assert.Equal(text, await ws.ReceiveTextAsync());
        Assert.Equal("4second", await ws.ReceiveTextAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LargeBinaryMessage_InSeveralFrames_IsEchoedIntact(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();
        var data = Enumerable.Range(0, 900_000).Select(i => (byte)(i * 31)).ToArray();

        await ws.SendAsync(
            RawWebSocket.Frame(0x2, data[..300_000], fin: false),
            RawWebSocket.Frame(0x0, data[300_000..600_000], fin: false),
            RawWebSocket.Frame(0x0, data[600_000..]));

        var (fin, opcode, payload) = await ws.ReceiveAsync();
        Assert.Equal((true, 0x2), (fin, opcode));
        Assert.Equal(data, payload);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MessageOfThousandsOfOneByteFragments_ComesWhole(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();
        var text = "4" + string.Concat(Enumerable.Range(0, 2999).Select(i => (char)('a' + (i % 26))));

        await ws.SendAsync([.. text.Select((c, i) => RawWebSocket.Frame(i == 0 ? 0x1 : 0x0, [(byte)c], fin: i == text.Length - 1))]);

        Assert.Equal(text, await ws.ReceiveTextAsync());
    }

    [Theory]
    [InlineData(false, 0x1, "4x", false, 1002)] // unmasked
    [InlineData(false, 0x3, "4x", true, 1002)] // reserved opcode
    [InlineData(false, 0x0, "4x", true, 1002)] // continuation of nothing
    [InlineData(true, 0x1, "4x", false, 1002)]
    [InlineData(true, 0x3, "4x", true, 1002)]
    [InlineData(true, 0x0, "4x", true, 1002)]
    public async Task FrameBreakingTheProtocol_ClosesWith1002(bool connectionLevel, int opcode, string payload, bool masked, int status)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await ws.SendAsync(RawWebSocket.Frame(opcode, Encoding.ASCII.GetBytes(payload), masked: masked));

        Assert.Equal(status, await ws.ReceiveCloseStatusAsync());
        Assert.Equal(TypedSio.Server.EngineIO.EngineIOCloseReason.TransportClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TextThatIsNotUtf8_ClosesWith1007(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();

        await ws.SendAsync(RawWebSocket.Frame(0x1, [(byte)'4', 0xC3, 0x28]));

        Assert.Equal(1007, await ws.ReceiveCloseStatusAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MessageOverMaxHttpBufferSize_ClosesWith1009_EvenInFragments(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(o => o.MaxHttpBufferSize = 1000, connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await ws.SendAsync(RawWebSocket.Text("4" + new string('a', 600), fin: false), RawWebSocket.Frame(0x0, new byte[600]));

        Assert.Equal(1009, await ws.ReceiveCloseStatusAsync());
        Assert.Equal(TypedSio.Server.EngineIO.EngineIOCloseReason.TransportError, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientCloseFrame_IsAnswered_ThenTheConnectionEnds(bool connectionLevel)
    {
        await using var server = await EngineIOTestServer.StartEchoAsync(connectionLevel: connectionLevel);
        await using var ws = await RawWebSocket.ConnectAsync(server.Port, Path);
        await ws.ReceiveTextAsync();
        var connection = await server.NextConnectionAsync();

        await ws.SendAsync(RawWebSocket.Frame(0x8, [0x03, 0xE8]));

        Assert.Equal(1000, await ws.ReceiveCloseStatusAsync());
        Assert.True(await ws.IsClosedByServerAsync());
        Assert.Equal(TypedSio.Server.EngineIO.EngineIOCloseReason.TransportClose, await connection.Closed.WaitAsync(EngineIOTestServer.Timeout));
    }
}
