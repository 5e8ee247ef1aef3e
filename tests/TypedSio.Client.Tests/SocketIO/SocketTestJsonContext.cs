using System.Text.Json.Serialization;

namespace TypedSio.Client.Tests.SocketIO;

public sealed record Reply(string Name, int Count);

[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Reply))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class SocketTestJsonContext : JsonSerializerContext;
