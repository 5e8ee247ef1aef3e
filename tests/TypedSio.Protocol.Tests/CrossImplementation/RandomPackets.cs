using System.Text;
using TypedSio.SocketIO;

namespace TypedSio.Protocol.Tests.CrossImplementation;

/// <summary>Random packets built with TypedSio's encoder from .NET values (a generator independent of the Node one).</summary>
internal static class RandomPackets
{
    private static readonly string[] Pieces = ["a", "Zz", " ", "é", "日本語", "😀", "👩‍💻", "\u2028", "\u0000", "\u001b", "\"", "\\", "/", "\r\n", "\t", "{}", "[]", "_placeholder", "\u00a0", "\ufeff", "</script>"];
    private static readonly string[] Namespaces = ["/", "/", "/chat", "/ünï", "/a/b-c"];

    public static SocketIOPacket Next(Random random)
    {
        var nsp = Namespaces[random.Next(Namespaces.Length)];
        switch (random.Next(6))
        {
            case 0:
                return SocketIOPacket.CreateConnect(nsp, random.Next(2) == 0 ? null : Map(random, 1, allowBinary: false));
            case 1:
                return SocketIOPacket.CreateDisconnect(nsp);
            case 2:
                return SocketIOPacket.CreateConnectError(nsp, Text(random), random.Next(2) == 0 ? null : Value(random, 1, allowBinary: false));
            case 3:
                return SocketIOPacket.CreateAck(random.Next(1_000_000), Arguments(random), nsp);
            default:
                var name = random.Next(10) == 0 ? (object)random.Next(100) : "ev" + Text(random);
                var args = new List<object?> { name };
                args.AddRange(Arguments(random));
                long? id = random.Next(2) == 0 ? null : random.Next(int.MaxValue);
                var writer = new SocketIOPayloadWriter();
                writer.WriteStartArray();
                foreach (var arg in args)
                {
                    writer.WriteValue(arg);
                }

                writer.WriteEndArray();
                return writer.ToPacket(SocketIOPacketType.Event, nsp, id);
        }
    }

    private static object?[] Arguments(Random random)
    {
        var allowBinary = random.Next(3) == 0;
        return Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, 0, allowBinary)).ToArray();
    }

    private static object? Value(Random random, int depth, bool allowBinary)
    {
        var kinds = depth > 3 ? 5 : 7;
        var kind = random.Next(allowBinary ? kinds + 1 : kinds);
        return kind switch
        {
            0 => Text(random),
            1 => random.Next(3) switch { 0 => (double)random.Next(-1000, 1000), 1 => random.NextDouble() * Math.Pow(10, random.Next(-10, 25)), _ => (double)random.NextInt64(-(1L << 53), 1L << 53) },
            2 => random.Next(2) == 0,
            3 => null,
            4 => (long)random.Next(),
            5 => Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1, allowBinary)).ToList(),
            6 => Map(random, depth + 1, allowBinary),
            _ => Binary(random),
        };
    }

    private static List<KeyValuePair<string, object?>> Map(Random random, int depth, bool allowBinary)
    {
        // Distinct keys, none integer-like, so JavaScript keeps the order they are written in.
        return Enumerable.Range(0, random.Next(4))
            .Select(i => new KeyValuePair<string, object?>("k" + i + Text(random), Value(random, depth, allowBinary)))
            .ToList();
    }

    private static byte[] Binary(Random random)
    {
        var bytes = new byte[new[] { 0, 1, 3, 64, 1000 }[random.Next(5)]];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Text(Random random)
    {
        var builder = new StringBuilder();
        for (var i = random.Next(5); i > 0; i--)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }
}
