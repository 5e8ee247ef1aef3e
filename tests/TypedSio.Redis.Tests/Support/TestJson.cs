using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TypedSio.Redis.Tests.Support;

[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]), TypeInfoPropertyName = "StringArray")]
internal sealed partial class TestJson : JsonSerializerContext;
