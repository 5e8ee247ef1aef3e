using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.Redis.Protocol;
using TypedSio.Redis.Tests.Support;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Redis.Tests;

/// <summary>
/// Cluster messages Node's sharded adapter published (captured by tests/js/redis-sharded-capture.mjs: every message type,
/// JSON and msgpack), decoded here; and messages encoded here, decoded by Node's own decoder.
/// </summary>
public sealed class ShardedCodecFixtureTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static TheoryData<string> Names() => [.. Captures().Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void NodeMessage_Parsed_MatchesNodeDecoding(string name)
    {
        var (channel, bytes) = Captures()[name];
        using var expected = JsonDocument.Parse(Expected()[name]);
        using var message = ClusterMessage.Parse(bytes);
        Assert.Equal(expected.RootElement.GetProperty("type").GetInt32(), (int)message.Type);
        Assert.Equal(expected.RootElement.GetProperty("uid").GetString(), message.Uid);
        Assert.Equal(expected.RootElement.GetProperty("nsp").GetString(), message.Nsp);
        Assert.StartsWith("socket.io#" + message.Nsp + "#", channel, StringComparison.Ordinal);
        JsonShow.AssertEquivalent(expected.RootElement.GetProperty("data").GetRawText(), JsonShow.Show(message.Data, message.Attachments));
    }

    [Fact]
    public void NodeMessages_UseJsonUnlessTheDataHoldsBinary()
    {
        foreach (var (name, (_, bytes)) in Captures())
        {
            var hasBinary = Expected()[name].Contains("\"$bin\"", StringComparison.Ordinal);
            Assert.True(hasBinary == (bytes[0] != (byte)'{'), name);
        }
    }

    [Fact]
    public void Broadcasts_Read_HavePacketRoomsExceptFlagsAndTimeout()
    {
        using (var binary = Parse("broadcast-binary-1"))
        {
            var (packet, options, timeout) = ClusterWire.ReadBroadcast(binary, "/");
            Assert.Equal(SocketIOPacketType.BinaryEvent, packet.Type);
            Assert.Equal("values", packet.EventName);
            Assert.Equal(2, packet.Attachments.Count);
            Assert.Contains("\"2024-01-02T03:04:05.678Z\"", packet.PayloadText, StringComparison.Ordinal);
            Assert.Empty(options.Rooms);
            Assert.Null(timeout);
        }

        using (var rooms = Parse("broadcast-rooms-1"))
        {
            var (packet, options, _) = ClusterWire.ReadBroadcast(rooms, "/");
            Assert.Equal("""["two","x"]""", packet.PayloadText);
            Assert.Equal(["other", "room"], options.Rooms.Order(StringComparer.Ordinal));
            Assert.Equal(["x"], options.Except);
            Assert.Equal(SocketIOBroadcastFlags.Volatile, options.Flags);
        }

        using (var ack = Parse("broadcastWithAck-1"))
        {
            var (packet, _, timeout) = ClusterWire.ReadBroadcast(ack, "/");
            Assert.Equal(TimeSpan.FromSeconds(2), timeout);
            Assert.Equal("question", packet.EventName);
            Assert.Equal("bin"u8.ToArray(), packet.Attachments[0].ToArray());
            Assert.NotNull(ack.DataText("requestId"u8));
        }
    }

    [Fact]
    public void NodeChannels_FollowTheSubscriptionModeRules()
    {
        // Dynamic mode (the capture's): one room → the room's channel, unless it looks like a socket id (20 characters).
        Assert.Equal("socket.io#/#room#", Captures()["broadcast-room-1"].Channel);
        Assert.Equal("socket.io#/#", Captures()["broadcast-socket-1"].Channel);
        Assert.Equal("socket.io#/#", Captures()["broadcast-rooms-1"].Channel);
        Assert.Equal("socket.io#/#", Captures()["broadcastWithAck-1"].Channel);

        // Responses go to the requester's channel, {prefix}#{nsp}#{uid}#.
        using var request = Parse("fetch-1");
        Assert.Equal("socket.io#/#" + request.Uid + "#", Captures()["fetch-2"].Channel);
    }

    [Fact]
    public async Task MessagesEncodedHere_DecodedByNode_MatchWhatNodeSends()
    {
        var input = new StringBuilder();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string like, byte[] bytes, Action<JsonObject>? adjust = null)
        {
            input.Append("CAPTURE ").Append(name).Append(" - ").AppendLine(Convert.ToHexString(bytes).ToLowerInvariant());
            var node = JsonNode.Parse(Expected()[like])!.AsObject();
            adjust?.Invoke(node);
            expected[name] = node.ToJsonString();
        }

        foreach (var name in new[] { "broadcast-binary-1", "broadcast-json-1", "broadcast-rooms-1" })
        {
            using var message = Parse(name);
            var (packet, options, _) = ClusterWire.ReadBroadcast(message, "/");
            var bytes = ClusterWire.Encode(ClusterMessageType.Broadcast, message.Uid!, "/", (json, attachments) =>
            {
                ClusterWire.WritePacket(json, attachments, packet);
                ClusterWire.WriteOptions(json, options);
            });
            Assert.Equal(packet.Attachments.Count == 0, bytes[0] == (byte)'{');

            // Node's published packet has no nsp yet (its adapter sets it after publishing); ours carries it.
            Add(name, name, bytes, node => node["data"]!["packet"]!["nsp"] = "/");
        }

        using (var ack = Parse("broadcastWithAck-1"))
        {
            var (packet, options, timeout) = ClusterWire.ReadBroadcast(ack, "/");
            var requestId = ack.DataText("requestId"u8)!;
            Add("broadcastWithAck", "broadcastWithAck-1", ClusterWire.Encode(ClusterMessageType.Broadcast, ack.Uid!, "/", (json, attachments) =>
            {
                ClusterWire.WritePacket(json, attachments, packet);
                json.WriteString("requestId"u8, requestId);
                ClusterWire.WriteOptions(json, options, timeout);
            }), node => node["data"]!["packet"]!["nsp"] = "/");
        }

        using (var answer = Parse("broadcastWithAck-3"))
        {
            var value = answer.Data.GetProperty("packet");
            var ack = RedisWire.SingleArgument(value, answer.Attachments, "/");
            Add("broadcastAck", "broadcastWithAck-3", ClusterWire.Encode(ClusterMessageType.BroadcastAck, answer.Uid!, "/", (json, attachments) =>
            {
                json.WriteString("requestId"u8, answer.DataText("requestId"u8));
                json.WritePropertyName("packet"u8);
                ClusterWire.WriteSingleValue(json, attachments, ack.GetValue(0));
            }));
        }

        using (var emit = Parse("serverSideEmitWithAck-1"))
        {
            var packet = ClusterWire.ReadServerSideEvent(emit, "/")!;
            Add("serverSideEmit", "serverSideEmitWithAck-1", ClusterWire.Encode(ClusterMessageType.ServerSideEmit, emit.Uid!, "/", (json, attachments) =>
            {
                json.WriteString("requestId"u8, emit.DataText("requestId"u8));
                json.WritePropertyName("packet"u8);
                ClusterWire.WritePayload(json, attachments, packet);
            }));
        }

        using (var join = Parse("join-1"))
        {
            Add("join", "join-1", ClusterWire.Encode(ClusterMessageType.SocketsJoin, join.Uid!, "/", (json, _) =>
            {
                ClusterWire.WriteOptions(json, new SocketIOBroadcastOptions(new HashSet<string> { "room" }, new HashSet<string>(), 0));
                RedisWire.WriteJsonStrings(json, "rooms"u8, ["s", "t"]);
            }));
        }

        var output = await NodeScript.RunAsync("redis-decode.mjs", [], input.ToString(), TimeSpan.FromMinutes(1));
        var decoded = output.Split('\n').Where(l => l.StartsWith("EXPECT ", StringComparison.Ordinal)).Select(l => l.Split(' ', 3)).ToDictionary(p => p[1], p => p[2].TrimEnd('\r'));
        foreach (var (name, json) in expected)
        {
            JsonShow.AssertEquivalent(json, decoded[name]);
        }
    }

    private static ClusterMessage Parse(string name) => ClusterMessage.Parse(Captures()[name].Bytes);

    private static Dictionary<string, (string Channel, byte[] Bytes)> Captures() =>
        File.ReadAllLines(Path.Combine(Fixtures, "sharded-adapter-captures.txt"))
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 4 && p[0] == "CAPTURE")
            .ToDictionary(p => p[1], p => (p[2], Convert.FromHexString(p[3])));

    private static Dictionary<string, string> Expected() =>
        File.ReadAllLines(Path.Combine(Fixtures, "sharded-adapter-expected.txt"))
            .Where(l => l.StartsWith("EXPECT ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', 3))
            .ToDictionary(p => p[1], p => p[2].TrimEnd('\r'));
}
