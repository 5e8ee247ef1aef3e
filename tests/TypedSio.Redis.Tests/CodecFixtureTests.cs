using System.Buffers;
using System.Text;
using MessagePack;
using TypedSio.Redis.Protocol;
using TypedSio.Redis.Tests.Support;
using TypedSio.Server.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>Messages Node's redis adapter published (captured by tests/js/redis-capture.mjs), decoded and re-encoded here.</summary>
public sealed class CodecFixtureTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static TheoryData<string> Names() => [.. Captures().Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void NodeMessage_Decoded_MatchesNodeDecoding(string name)
    {
        var (_, bytes) = Captures()[name];
        var (document, attachments) = RedisWire.Parse(bytes);
        using (document)
        {
            JsonShow.AssertEquivalent(Expected()[name], JsonShow.Show(document.RootElement, attachments));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void NodeMessage_ReEncoded_DecodesToSameValues(string name)
    {
        var (_, bytes) = Captures()[name];
        var (document, attachments) = RedisWire.Parse(bytes);
        using (document)
        {
            var again = MessagePackJson.Decode(Encode(document.RootElement, attachments));
            using (again.Document)
            {
                JsonShow.AssertEquivalent(Expected()[name], JsonShow.Show(again.Document.RootElement, again.Attachments));
            }
        }
    }

    [Fact]
    public async Task ReEncodedMessages_DecodedByNotepack_MatchNodeDecoding()
    {
        var input = new StringBuilder();
        foreach (var (name, (channel, bytes)) in Captures())
        {
            var (document, attachments) = RedisWire.Parse(bytes);
            using (document)
            {
                input.Append("CAPTURE ").Append(name).Append(' ').Append(channel).Append(' ')
                    .AppendLine(Convert.ToHexString(Encode(document.RootElement, attachments)).ToLowerInvariant());
            }
        }

        var output = await NodeScript.RunAsync("redis-decode.mjs", [], input.ToString(), TimeSpan.FromMinutes(1));
        var decoded = Parse(output.Split('\n'), "EXPECT");
        foreach (var (name, expected) in Expected())
        {
            JsonShow.AssertEquivalent(expected, decoded[name]);
        }
    }

    [Fact]
    public void BroadcastMessage_Decoded_HasPacketRoomsExceptAndFlags()
    {
        var rooms = RedisWire.DecodeBroadcast(Captures()["rooms"].Bytes);
        Assert.Equal("/", rooms.Packet.Namespace);
        Assert.Equal("two", rooms.Packet.EventName);
        Assert.Equal(["a", "b"], rooms.Options.Rooms.Order());
        Assert.Equal(["c"], rooms.Options.Except);
        var flags = RedisWire.DecodeBroadcast(Captures()["volatile"].Bytes);
        Assert.True(flags.Options.Flags.HasFlag(SocketIOBroadcastFlags.Volatile));
        Assert.False(flags.Options.Flags.HasFlag(SocketIOBroadcastFlags.Compress));
        var chat = RedisWire.DecodeBroadcast(Captures()["chat"].Bytes);
        Assert.Equal("/chat", chat.Packet.Namespace);
    }

    [Fact]
    public void BroadcastMessage_WithBinaryAndDates_BecomesBinaryEventWithIsoStrings()
    {
        var all = RedisWire.DecodeBroadcast(Captures()["all"].Bytes);
        Assert.Equal(TypedSio.SocketIO.SocketIOPacketType.BinaryEvent, all.Packet.Type);
        Assert.Equal(2, all.Packet.Attachments.Count);
        Assert.Contains("\"2024-01-02T03:04:05.678Z\"", all.Packet.PayloadText, StringComparison.Ordinal);
        Assert.Contains("\"1969-12-31T23:59:59.999Z\"", all.Packet.PayloadText, StringComparison.Ordinal);
    }

    [Fact]
    public void BroadcastMessage_EncodedHere_RoundTrips()
    {
        var packet = TypedSio.SocketIO.SocketIOPacket.CreateEvent("e", [1, 2.5, "s", new byte[] { 9 }, null, long.MaxValue, ulong.MaxValue], "/chat");
        var options = new SocketIOBroadcastOptions(new HashSet<string> { "r*" }, new HashSet<string> { "x" }, SocketIOBroadcastFlags.Volatile);
        var decoded = RedisWire.DecodeBroadcast(RedisWire.EncodeBroadcast("me", packet, options));
        Assert.Equal("me", decoded.Uid);
        Assert.Equal(packet.PayloadText, decoded.Packet.PayloadText);
        Assert.Equal([9], decoded.Packet.Attachments[0].ToArray());
        Assert.Equal(["r*"], decoded.Options.Rooms);
        Assert.Equal(["x"], decoded.Options.Except);
        Assert.Equal(SocketIOBroadcastFlags.Volatile, decoded.Options.Flags);
    }

    private static byte[] Encode(System.Text.Json.JsonElement root, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        MessagePackJson.WriteValue(ref writer, root, attachments);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static Dictionary<string, (string Channel, byte[] Bytes)> Captures() =>
        File.ReadAllLines(Path.Combine(Fixtures, "node-adapter-captures.txt"))
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 4 && p[0] == "CAPTURE")
            .ToDictionary(p => p[1], p => (p[2], Convert.FromHexString(p[3])));

    private static Dictionary<string, string> Expected() => Parse(File.ReadAllLines(Path.Combine(Fixtures, "node-adapter-expected.txt")), "EXPECT");

    private static Dictionary<string, string> Parse(IEnumerable<string> lines, string tag) =>
        lines.Where(l => l.StartsWith(tag + " ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', 3))
            .ToDictionary(p => p[1], p => p[2].TrimEnd('\r'));
}
