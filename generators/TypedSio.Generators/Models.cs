using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TypedSio.Generators;

/// <summary>How a contract method completes.</summary>
internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>What code a usage site needs for a contract.</summary>
[System.Flags]
internal enum ContractRoles
{
    None = 0,
    Proxy = 1,
    BroadcastProxy = 2,
    Binder = 4,
}

/// <summary>A type as generated code names it.</summary>
/// <param name="Name">Fully qualified, with its nullable annotation (<c>global::Chat.ChatMessage?</c>).</param>
/// <param name="TypeArgumentName">Fully qualified without the top-level reference-type annotation, used as a type argument.</param>
/// <param name="IsBuiltin">A plain value (string, number, boolean, date, binary) TypedSio writes and reads without user metadata.</param>
/// <param name="IsReferenceType">Whether null-forgiving is needed when reading it.</param>
internal sealed record TypeModel(string Name, string TypeArgumentName, bool IsBuiltin, bool IsReferenceType);

internal sealed record ParameterModel(string Name, TypeModel Type, bool IsCancellationToken);

internal sealed record MethodModel(
    string Name,
    string EventName,
    string ReturnType,
    ReturnKind ReturnKind,
    TypeModel? Result,
    EquatableArray<ParameterModel> Parameters)
{
    public bool HasResult => ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT;

    public string? CancellationTokenName
    {
        get
        {
            foreach (var parameter in Parameters)
            {
                if (parameter.IsCancellationToken)
                {
                    return parameter.Name;
                }
            }

            return null;
        }
    }
}

/// <summary>A contract interface, closed over its type arguments, with event names resolved.</summary>
/// <param name="Name">Fully qualified name.</param>
/// <param name="Identifier">A C# identifier derived from the name, unique per closed contract.</param>
/// <param name="SerializerContext">The JsonSerializerContext for non-builtin types, or null for reflection-based defaults.</param>
/// <param name="Methods">Methods in declaration order (base interfaces after the interface itself).</param>
/// <param name="JsonTypes">The non-builtin types its parameters and results need, ordinal order.</param>
internal sealed record ContractModel(
    string Name,
    string Identifier,
    string? SerializerContext,
    EquatableArray<MethodModel> Methods,
    EquatableArray<TypeModel> JsonTypes);

/// <summary>Where a diagnostic goes, without holding a syntax tree.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { IsInSource: true, SourceTree: { } tree }
            ? new LocationInfo(tree.FilePath, location.SourceSpan, location.GetLineSpan().Span)
            : null;
}

internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation(), messageArgs: [.. Arguments]);
}

/// <summary>A missing-metadata finding, reported only in AOT mode or when a context was named.</summary>
internal sealed record JsonMetadataGap(string ContractName, string TypeName, string? ContextName, LocationInfo? Location);

/// <summary>What one usage site asks for.</summary>
internal sealed record ContractRequest(
    ContractModel? Contract,
    ContractRoles Roles,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<JsonMetadataGap> MetadataGaps);

/// <summary>A hub class and the contracts it serves and calls.</summary>
/// <param name="CanEmit">The class is a top-level, non-generic partial class the dispatcher can be added to.</param>
/// <param name="IsComplete">Every server contract parsed without errors; otherwise an empty dispatcher is emitted.</param>
internal sealed record HubModel(
    bool CanEmit,
    bool IsComplete,
    string? Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContractModel> ServerContracts,
    ContractRequest Client,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<JsonMetadataGap> MetadataGaps);
