using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TypedSio.EngineIO;
using TypedSio.Protocol.Tests.Support;
using TypedSio.SocketIO;

namespace TypedSio.Protocol.Tests;

/// <summary>Round trips over generated inputs: whatever we encode, we decode back unchanged, in any segmentation.</summary>
public class PropertyTests
{
    [Property(MaxTest = 300)]
    public bool EngineIO_PayloadRoundTrips(NonEmptyArray<PacketSpec> specs, PositiveInt chunk, bool v3)
    {
        var packets = specs.Get.Select(s => s.ToPacket()).ToArray();
        var format = v3 ? EngineIOPayloadFormat.V3Text : EngineIOPayloadFormat.V4;
        var output = new ArrayBufferWriter<byte>();
        EngineIOPayloadWriter.Write(packets, output, format);
        var reader = new EngineIOPayloadReader(Segments.Chunked(output.WrittenSpan.ToArray(), (chunk.Get % 7) + 1), format);
        var read = new List<EngineIOPacket>();
        while (reader.TryRead(out var packet))
        {
            read.Add(packet);
        }

        return reader.Error is null && read.SequenceEqual(packets);
    }

    [Property(MaxTest = 300)]
    public bool SocketIO_EventRoundTrips(NonNull<string> name, string?[] texts, byte[][] blobs, int? id, PositiveInt chunk)
    {
        var eventName = Clean(name.Get) + "x"; // never a reserved name
        var args = texts.Select(t => (object?)(t is null ? null : Clean(t))).Concat(blobs.Where(b => b is not null)).ToArray();
        var packet = SocketIOPacket.CreateEvent(eventName, args, "/p", id is null ? null : Math.Abs((long)id.Value));
        var decoder = new SocketIODecoder(new SocketIOParserOptions { MaxAttachments = int.MaxValue });
        var text = Encoding.UTF8.GetBytes(packet.ToString());
        if (!decoder.TryDecodeText(Segments.Chunked(text, (chunk.Get % 5) + 1), out var decoded, out _))
        {
            return false;
        }

        foreach (var attachment in packet.Attachments)
        {
            if (!decoder.TryDecodeBinary(new ReadOnlySequence<byte>(attachment), out decoded, out _))
            {
                return false;
            }
        }

        if (decoded is null || decoded.EventName != eventName || decoded.AckId != packet.AckId || decoded.Namespace != "/p")
        {
            return false;
        }

        var values = decoded.GetArguments().ToValues();
        return values.Length == args.Length && values.Zip(args).All(p => p.First switch
        {
            byte[] bytes => p.Second is byte[] expected && bytes.AsSpan().SequenceEqual(expected),
            var other => Equals(other, p.Second),
        });
    }

    // Strings with lone surrogates cannot be read back as .NET strings by System.Text.Json; they are covered by the
    // encoder's escaping tests and the cross-implementation vectors.
    private static string Clean(string s) => new(s.Select(c => char.IsSurrogate(c) ? '?' : c).ToArray());

    public sealed record PacketSpec(byte Type, string? Text, byte[]? Binary)
    {
        public EngineIOPacket ToPacket() => Binary is not null
            ? EngineIOPacket.Binary(Binary)
            : EngineIOPacket.Text((EngineIOPacketType)(Type % 7), Clean(Text ?? string.Empty).Replace('\u001e', ' '));
    }
}
