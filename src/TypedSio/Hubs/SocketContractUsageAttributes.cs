namespace TypedSio.Hubs;

/// <summary>
/// Asks the TypedSio generator for a contract's proxy (and broadcast proxy) in this assembly even where no
/// <c>CreateProxy&lt;T&gt;()</c> call names the contract, e.g. when proxies are created through a type parameter:
/// <c>[assembly: SocketProxy(typeof(IChatServer))]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false, AllowMultiple = true)]
public sealed class SocketProxyAttribute : Attribute
{
    /// <summary>Names the contract.</summary>
    /// <param name="contractType">The contract interface, closed if generic.</param>
    public SocketProxyAttribute(Type contractType) => ContractType = contractType;

    /// <summary>The contract interface.</summary>
    public Type ContractType { get; }
}

/// <summary>
/// Asks the TypedSio generator for a contract's receiver binder in this assembly even where no
/// <c>Register&lt;T&gt;(receiver)</c> call names the contract: <c>[assembly: SocketReceiver(typeof(IChatClient))]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false, AllowMultiple = true)]
public sealed class SocketReceiverAttribute : Attribute
{
    /// <summary>Names the contract.</summary>
    /// <param name="contractType">The contract interface, closed if generic.</param>
    public SocketReceiverAttribute(Type contractType) => ContractType = contractType;

    /// <summary>The contract interface.</summary>
    public Type ContractType { get; }
}
