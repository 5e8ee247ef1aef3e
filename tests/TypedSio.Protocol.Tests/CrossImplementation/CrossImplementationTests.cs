using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.EngineIO;
using TypedSio.SocketIO;
using TypedSio.Testing;

namespace TypedSio.Protocol.Tests.CrossImplementation;

/// <summary>
/// Thousands of packets generated, encoded and decoded by the official npm parsers (tests/js/codec-vectors.mjs) must
/// decode, encode and be accepted or rejected identically by TypedSio's codecs; and packets TypedSio encodes must decode
/// in the official parser to what was encoded.
/// </summary>
public class CrossImplementationTests
{
    // Fixed so CI is deterministic; set TYPEDSIO_VECTOR_SEED to explore other corners locally.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TYPEDSIO_VECTOR_SEED"), out var seed) ? seed : 20261124;
    private const int Count = 2000;
    private static readonly Lazy<Task<JsonObject[]>> Vectors = new(LoadVectorsAsync);

    [Fact]
    public async Task SocketIO_OfficialEncodings_DecodeAndReEncodeByteForByte()
    {
        var failures = new List<string>();
        var cases = (await Vectors.Value).Where(v => Kind(v) == "sio-encode").ToArray();
        Assert.True(cases.Length >= Count);
        foreach (var v in cases)
        {
            var text = v["text"]!.GetValue<string>();
            var attachments = Attachments(v);
            var expected = v["packet"]!.AsObject();

            var (verdict, packet) = Decode(text, attachments);
            if (verdict != "accepted" || !Canonical.Same(Canonical.FromPacket(packet!), expected))
            {
                failures.Add($"decode {text}: {verdict} {(packet is null ? "" : Canonical.FromPacket(packet).ToJsonString())}");
                continue;
            }

            var encoded = Canonical.ToPacket(expected);
            if (encoded.ToString() != text || !encoded.Attachments.Select(a => Convert.ToBase64String(a.Span)).SequenceEqual(attachments))
            {
                failures.Add($"encode: official {text} vs ours {encoded}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Length} differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public async Task SocketIO_FuzzedInputs_GetTheOfficialDecodersVerdict()
    {
        var failures = new List<string>();
        var cases = (await Vectors.Value).Where(v => Kind(v) == "sio-decode").ToArray();
        var verdicts = new Dictionary<string, int>();
        foreach (var v in cases)
        {
            var text = v["text"]!.GetValue<string>();
            var expected = v["expected"]!.AsObject();
            var expectedVerdict = expected["verdict"]!.GetValue<string>() switch
            {
                "unsafe-id" or "undefined-placeholder" => "rejected", // refused here on purpose, see the decoder's docs
                var other => other,
            };
            verdicts[expectedVerdict] = verdicts.GetValueOrDefault(expectedVerdict) + 1;
            var (verdict, packet) = Decode(text, Attachments(v));
            var same = verdict == expectedVerdict
                && (verdict != "accepted" || Canonical.Same(Canonical.FromPacket(packet!), expected["packet"]));
            if (!same)
            {
                failures.Add($"{JsonSerializer.Serialize(text)} +{Attachments(v).Length}: official {expected.ToJsonString()} vs ours {verdict} {(packet is null ? "" : Canonical.FromPacket(packet).ToJsonString())}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Length} differ:\n" + string.Join("\n", failures.Take(15)));
        Assert.True(verdicts.GetValueOrDefault("accepted") > Count / 10 && verdicts.GetValueOrDefault("rejected") > Count / 10, "the fuzz set covers both verdicts");
    }

    [Fact]
    public async Task SocketIO_OurEncodings_DecodeInTheOfficialParser()
    {
        var random = new Random(Seed);
        var generated = Enumerable.Range(0, Count).Select(_ => RandomPackets.Next(random)).ToArray();
        var input = new StringBuilder();
        foreach (var packet in generated)
        {
            input.Append(new JsonObject
            {
                ["kind"] = "sio",
                ["text"] = packet.ToString(),
                ["attachments"] = new JsonArray(packet.Attachments.Select(a => (JsonNode)Convert.ToBase64String(a.Span)).ToArray()),
            }.ToJsonString()).Append('\n');
        }

        var output = (await NodeScript.RunAsync("codec-vectors.mjs", ["decode"], input.ToString())).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(generated.Length, output.Length);
        var failures = new List<string>();
        for (var i = 0; i < generated.Length; i++)
        {
            var result = JsonNode.Parse(output[i])!.AsObject();
            if (result["verdict"]!.GetValue<string>() != "accepted" || !Canonical.Same(result["packet"], Canonical.FromPacket(generated[i])))
            {
                failures.Add($"ours {generated[i]} -> official {output[i]}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {generated.Length} differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public async Task EngineIO_OfficialEncodings_MatchOurFramesAndPayloads()
    {
        var failures = new List<string>();
        foreach (var v in (await Vectors.Value).Where(v => Kind(v) is "eio-encode" or "eio3-encode"))
        {
            var v3 = Kind(v) == "eio3-encode";
            var packets = v["packets"]!.AsArray().Select(p => Canonical.ToEnginePacket(p!)).ToArray();
            var payload = v["payload"]!.GetValue<string>();
            var ours = Write(packets, v3 ? EngineIOPayloadFormat.V3Text : EngineIOPayloadFormat.V4);
            if (Encoding.UTF8.GetString(ours) != payload)
            {
                failures.Add($"{Kind(v)} payload: official {Trim(payload)} vs ours {Trim(Encoding.UTF8.GetString(ours))}");
            }

            var read = Read(Encoding.UTF8.GetBytes(payload), v3 ? EngineIOPayloadFormat.V3Text : EngineIOPayloadFormat.V4, out var error);
            if (error is not null || !Canonical.Same(new JsonArray(read), v["packets"]))
            {
                failures.Add($"{Kind(v)} decode {Trim(payload)}: {error}");
            }

            if (!v3)
            {
                var frames = v["frames"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();
                for (var i = 0; i < packets.Length; i++)
                {
                    var frame = new ArrayBufferWriter<byte>();
                    EngineIOFrameCodec.WriteText(packets[i], frame);
                    if (Encoding.UTF8.GetString(frame.WrittenSpan) != frames[i])
                    {
                        failures.Add($"frame: official {Trim(frames[i])} vs ours {Trim(Encoding.UTF8.GetString(frame.WrittenSpan))}");
                    }
                }
            }
            else if (v["binaryPayload"] is JsonValue binary)
            {
                var official = Convert.FromBase64String(binary.GetValue<string>());
                if (!Write(packets, EngineIOPayloadFormat.V3Binary).SequenceEqual(official))
                {
                    failures.Add($"v3 binary payload differs for {Trim(payload)}");
                }

                var decoded = Read(official, EngineIOPayloadFormat.V3Binary, out var binaryError);
                if (binaryError is not null || !Canonical.Same(new JsonArray(decoded), v["packets"]))
                {
                    failures.Add($"v3 binary decode for {Trim(payload)}: {binaryError}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differ:\n" + string.Join("\n", failures.Take(15)));
    }

    [Fact]
    public async Task EngineIO_FuzzedPayloads_DecodeAsTheOfficialParserDoes()
    {
        var failures = new List<string>();
        foreach (var v in (await Vectors.Value).Where(v => Kind(v) is "eio-decode" or "eio3-decode"))
        {
            var payload = v["payload"]!.GetValue<string>();
            var format = Kind(v) == "eio-decode" ? EngineIOPayloadFormat.V4 : EngineIOPayloadFormat.V3Text;
            var read = new JsonArray(Read(Encoding.UTF8.GetBytes(payload), format, out var error));
            var expectedError = v["error"]!.GetValue<bool>();
            if ((error is not null) != expectedError || !Canonical.Same(read, v["packets"]))
            {
                failures.Add($"{format} {JsonSerializer.Serialize(payload)}: official {v["packets"]!.ToJsonString()} error={expectedError}; ours {read.ToJsonString()} {error}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differ:\n" + string.Join("\n", failures.Take(15)));
    }

    private static async Task<JsonObject[]> LoadVectorsAsync()
    {
        var output = await NodeScript.RunAsync("codec-vectors.mjs", ["generate", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToArray();
    }

    private static (string Verdict, SocketIOPacket? Packet) Decode(string text, string[] attachments)
    {
        var decoder = new SocketIODecoder();
        if (!decoder.TryDecodeText(text, out var packet, out _))
        {
            return ("rejected", null);
        }

        foreach (var attachment in attachments)
        {
            if (packet is not null || !decoder.TryDecodeBinary(new ReadOnlySequence<byte>(Convert.FromBase64String(attachment)), out packet, out _))
            {
                return ("rejected", null);
            }
        }

        return packet is null ? ("incomplete", null) : ("accepted", packet);
    }

    private static byte[] Write(EngineIOPacket[] packets, EngineIOPayloadFormat format)
    {
        var output = new ArrayBufferWriter<byte>();
        EngineIOPayloadWriter.Write(packets, output, format);
        return output.WrittenSpan.ToArray();
    }

    private static JsonNode[] Read(byte[] payload, EngineIOPayloadFormat format, out EngineIOParseError? error)
    {
        var reader = new EngineIOPayloadReader(new ReadOnlySequence<byte>(payload), format);
        var packets = new List<JsonNode>();
        while (reader.TryRead(out var packet))
        {
            packets.Add(Canonical.FromEnginePacket(packet));
        }

        error = reader.Error;
        return packets.ToArray();
    }

    private static string Kind(JsonObject v) => v["kind"]!.GetValue<string>();

    private static string[] Attachments(JsonObject v) => v["attachments"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

    private static string Trim(string s) => s.Length > 120 ? s[..120] + "…" : s;
}
