using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TypedSio.SocketIO;

namespace TypedSio.Hubs;

/// <summary>
/// Serializer metadata lookups for generated code. Nothing here uses reflection: metadata comes from a
/// <see cref="JsonSerializerContext"/> (the contract's, see <see cref="SocketContractSerializerAttribute"/>) or from
/// TypedSio's own source-generated metadata for plain values.
/// </summary>
public static class SocketIOJson
{
    /// <summary>
    /// The metadata of a type from serializer options, typically <c>MyJsonContext.Default.Options</c>.
    /// </summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="options">The options whose resolver knows the type.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidOperationException">The resolver has no metadata for the type.</exception>
    public static JsonTypeInfo<T> GetTypeInfo<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        }
        catch (NotSupportedException e)
        {
            throw new InvalidOperationException(
                $"No JSON metadata for {typeof(T)}: add [JsonSerializable(typeof({typeof(T).Name}))] to the contract's " +
                "JsonSerializerContext (see [SocketContractSerializer]).", e);
        }
    }

    /// <summary>
    /// The metadata of a type for contracts that name no <see cref="JsonSerializerContext"/>: reflection-based, with
    /// web defaults (camelCase properties) and binary values as attachments. The generator reports TSIO008 where
    /// this cannot work (AOT and trimmed builds); there reflection is disabled and this throws instead.
    /// </summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidOperationException">Reflection-based serialization is disabled.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only for contracts without a JsonSerializerContext; TSIO008 flags them in trimmed and AOT builds, and the method throws when reflection is disabled.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above: TSIO008 flags the contract at build time.")]
    public static JsonTypeInfo<T> GetDefaultTypeInfo<T>()
    {
        if (!JsonSerializer.IsReflectionEnabledByDefault)
        {
            throw new InvalidOperationException(
                $"No JSON metadata for {typeof(T)}: reflection-based serialization is disabled, so name a JsonSerializerContext " +
                "that lists the type with [SocketContractSerializer] on the contract or the hub.");
        }

        return (JsonTypeInfo<T>)ReflectionOptions.Instance.GetTypeInfo(typeof(T));
    }

    /// <summary>
    /// The metadata of a plain value type TypedSio handles itself: strings, booleans, characters, numbers, dates,
    /// <see cref="JsonElement"/>, and binary (<c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes, read from
    /// attachments), each also as nullable.
    /// </summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns>The metadata.</returns>
    /// <exception cref="InvalidOperationException">The type is not one of the plain types.</exception>
    public static JsonTypeInfo<T> GetBuiltinTypeInfo<T>() =>
        SocketIOBuiltinJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T)} is not a plain value type; its metadata must come from a JsonSerializerContext.");
}

[RequiresUnreferencedCode("Reflection-based JSON metadata.")]
[RequiresDynamicCode("Reflection-based JSON metadata.")]
file static class ReflectionOptions
{
    public static readonly JsonSerializerOptions Instance = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new SocketIOBinaryConverter(), new SocketIOBinaryMemoryConverter() },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}

[JsonSourceGenerationOptions(Converters = [typeof(SocketIOBinaryConverter), typeof(SocketIOBinaryMemoryConverter)])]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(char))]
[JsonSerializable(typeof(char?))]
[JsonSerializable(typeof(byte))]
[JsonSerializable(typeof(byte?))]
[JsonSerializable(typeof(sbyte))]
[JsonSerializable(typeof(sbyte?))]
[JsonSerializable(typeof(short))]
[JsonSerializable(typeof(short?))]
[JsonSerializable(typeof(ushort))]
[JsonSerializable(typeof(ushort?))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(uint))]
[JsonSerializable(typeof(uint?))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(ulong?))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(float?))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(double?))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(decimal?))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateTime?))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(DateTimeOffset?))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(ReadOnlyMemory<byte>))]
internal sealed partial class SocketIOBuiltinJsonContext : JsonSerializerContext;
