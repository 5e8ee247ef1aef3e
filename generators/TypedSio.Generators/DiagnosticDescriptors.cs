using Microsoft.CodeAnalysis;

namespace TypedSio.Generators;

internal static class DiagnosticDescriptors
{
    private const string Category = "TypedSio";
    private const string HelpBase = "https://example.invalid/typedsio/docs/diagnostics#";

    public static readonly DiagnosticDescriptor NotAnInterface = Create(
        "TSIO001", "Socket contract must be an interface",
        "'{0}' cannot be used as a socket contract because it is not an interface",
        "Contracts are interfaces shared by client and server; each method is one event.");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
        "TSIO002", "Unsupported contract method return type",
        "Method '{0}' of contract '{1}' returns '{2}'; contract methods return Task, Task<T>, ValueTask or ValueTask<T>",
        "Task and ValueTask send a plain event; Task<T> and ValueTask<T> wait for the acknowledgement and read T from it.");

    public static readonly DiagnosticDescriptor UnsupportedParameterModifier = Create(
        "TSIO003", "Unsupported contract parameter modifier",
        "Parameter '{0}' of '{1}' is declared '{2}'; event arguments are passed by value",
        "Remove ref, out, in and params from contract parameters: every argument travels as one JSON value.");

    public static readonly DiagnosticDescriptor DuplicateEventName = Create(
        "TSIO004", "Duplicate event name",
        "Method '{0}' maps to event '{1}', which '{2}' already uses",
        "Each event name maps to exactly one method: rename an overload or give it its own [SocketEvent(\"name\")].");

    public static readonly DiagnosticDescriptor GenericMethod = Create(
        "TSIO005", "Generic contract method",
        "Method '{0}' of contract '{1}' is generic; make the contract interface generic instead",
        "The generator needs concrete argument types; put type parameters on the interface and close it where it is used.");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Create(
        "TSIO006", "Unsupported contract parameter type",
        "Parameter '{0}' of '{1}' has type '{2}', which cannot travel as an event argument",
        "Arguments are JSON values or binary: pointers, ref structs, delegates, open type parameters and more than one CancellationToken are not supported.");

    public static readonly DiagnosticDescriptor MissingJsonMetadata = Create(
        "TSIO007", "Contract type missing from the JSON serializer context",
        "Contract '{0}' uses '{1}', which '{2}' has no metadata for; add [JsonSerializable(typeof({1}))] to it",
        "Generated code reads and writes contract types only through JsonTypeInfo from the context named by [SocketContractSerializer]; a type the context does not know fails at run time.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NoJsonContextInAotMode = Create(
        "TSIO008", "Contract has no JSON serializer context in AOT mode",
        "Contract '{0}' uses '{1}', but no JsonSerializerContext provides its metadata; add [SocketContractSerializer(typeof(YourJsonContext))]",
        "With PublishAot, PublishTrimmed, IsAotCompatible or IsTrimmable set, reflection-based serialization is unavailable: name a source-generated context on the contract or the hub.",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor BroadcastAckWithoutTimeout = Create(
        "TSIO009", "Acknowledgement expected from many sockets without a timeout",
        "'{0}' expects an acknowledgement, but this target reaches many sockets; use InvokeWithAcksAsync(c => c.{0}(...), timeout)",
        "A broadcast collects one reply per recipient and cannot know how many will answer: the wait needs a timeout, and the result is a list.");

    public static readonly DiagnosticDescriptor UnsupportedMember = Create(
        "TSIO010", "Contract member is not a method",
        "Contract '{0}' declares '{1}', which is not a method; contracts contain only event methods",
        "Properties, indexers and events have no wire representation: turn them into methods.");

    public static readonly DiagnosticDescriptor HubNotPartial = Create(
        "TSIO011", "Hub must be a top-level, non-generic partial class",
        "Hub '{0}' must be a partial, non-generic class declared outside other types so its dispatcher can be generated",
        "The generator adds EventNames and DispatchAsync to the hub's partial declaration.");

    public static readonly DiagnosticDescriptor ReservedEventName = Create(
        "TSIO012", "Invalid or reserved event name",
        "Method '{0}' maps to event '{1}', which is empty or reserved by Socket.IO",
        "connect, connect_error, disconnect, disconnecting, newListener and removeListener are reserved; pick another name with [SocketEvent].");

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "TSIO001" => NotAnInterface,
        "TSIO002" => UnsupportedReturnType,
        "TSIO003" => UnsupportedParameterModifier,
        "TSIO004" => DuplicateEventName,
        "TSIO005" => GenericMethod,
        "TSIO006" => UnsupportedParameterType,
        "TSIO007" => MissingJsonMetadata,
        "TSIO008" => NoJsonContextInAotMode,
        "TSIO009" => BroadcastAckWithoutTimeout,
        "TSIO010" => UnsupportedMember,
        "TSIO011" => HubNotPartial,
        _ => ReservedEventName,
    };

    private static DiagnosticDescriptor Create(
        string id, string title, string message, string description, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description, HelpBase + id.ToLowerInvariant());
}
