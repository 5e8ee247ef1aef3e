using System.Text.Json.Serialization;

namespace TypedSio.Protocol.Tests.Errors;

public sealed record RefusalData(string Reason, int RetryAfter);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RefusalData))]
internal sealed partial class ErrorTestJsonContext : JsonSerializerContext;
