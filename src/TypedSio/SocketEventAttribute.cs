namespace TypedSio;

/// <summary>
/// Names the Socket.IO event a contract method sends or receives, overriding the naming policy. Use it to match event
/// names that JavaScript code already uses, e.g. <c>[SocketEvent("chat message")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class SocketEventAttribute : Attribute
{
    /// <summary>Names the event.</summary>
    /// <param name="name">The event name exactly as it appears on the wire.</param>
    public SocketEventAttribute(string name) => Name = name;

    /// <summary>The event name exactly as it appears on the wire.</summary>
    public string Name { get; }
}

/// <summary>How event names are derived from contract method names when no <see cref="SocketEventAttribute"/> is given.</summary>
public enum SocketEventNamingPolicy
{
    /// <summary><c>SendMessage</c> becomes <c>sendMessage</c> (the default, matching JavaScript conventions).</summary>
    CamelCase = 0,

    /// <summary>The method name unchanged.</summary>
    Exact = 1,

    /// <summary><c>SendMessage</c> becomes <c>send_message</c>.</summary>
    SnakeCase = 2,

    /// <summary><c>SendMessage</c> becomes <c>send-message</c>.</summary>
    KebabCase = 3,
}

/// <summary>Sets the event naming policy for a contract interface.</summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false, AllowMultiple = false)]
public sealed class SocketContractAttribute : Attribute
{
    /// <summary>How event names are derived from method names.</summary>
    public SocketEventNamingPolicy NamingPolicy { get; set; } = SocketEventNamingPolicy.CamelCase;
}
