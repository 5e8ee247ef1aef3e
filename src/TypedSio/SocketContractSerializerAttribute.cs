namespace TypedSio;

/// <summary>
/// Names the <c>JsonSerializerContext</c> that holds the metadata of a contract's parameter and result types, so the
/// generated code (de)serializes them without reflection. Put it on the contract interface, or on a hub class for the
/// contracts that hub implements and calls. Plain values (strings, numbers, booleans, dates, binary) need no metadata.
/// </summary>
/// <remarks>The context needs a <c>public static Default</c> property, as source-generated contexts have.</remarks>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SocketContractSerializerAttribute : Attribute
{
    /// <summary>Names the context.</summary>
    /// <param name="contextType">A type deriving from <c>System.Text.Json.Serialization.JsonSerializerContext</c>.</param>
    public SocketContractSerializerAttribute(Type contextType) => ContextType = contextType;

    /// <summary>The context type.</summary>
    public Type ContextType { get; }
}
