using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedSio.Generators;

public sealed partial class TypedSioGenerator
{
    private static HubModel? ParseHub(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol hub
            || hub.BaseType is not { } baseType
            || baseType.OriginalDefinition is not { MetadataName: "SocketHub`1" } hubBase
            || hubBase.ContainingNamespace?.ToDisplayString() != "TypedSio.Hubs")
        {
            return null;
        }

        var location = declaration.Identifier.GetLocation();
        var parser = new Parser(location);
        var canEmit = declaration.Modifiers.Any(SyntaxKind.PartialKeyword) && hub.ContainingType is null && !hub.IsGenericType;
        var diagnostics = new List<DiagnosticInfo>();
        if (!canEmit)
        {
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.HubNotPartial.Id, LocationInfo.From(location), new[] { hub.Name }.ToEquatableArray()));
        }

        var hubContext = Parser.GetSerializerContext(hub);
        var contracts = new List<ContractModel>();
        var complete = true;
        var eventOwners = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var contractType in hub.Interfaces.Where(IsUserInterface).OrderBy(Parser.Display, System.StringComparer.Ordinal))
        {
            if (parser.ParseContract(contractType, hubContext, cancellationToken) is not { } contract)
            {
                complete = false;
                continue;
            }

            foreach (var method in contract.Methods)
            {
                if (eventOwners.TryGetValue(method.EventName, out var owner))
                {
                    diagnostics.Add(new DiagnosticInfo(
                        DiagnosticDescriptors.DuplicateEventName.Id,
                        LocationInfo.From(location),
                        new[] { contract.Name + "." + method.Name, method.EventName, owner }.ToEquatableArray()));
                    complete = false;
                }
                else
                {
                    eventOwners.Add(method.EventName, contract.Name + "." + method.Name);
                }
            }

            contracts.Add(contract);
        }

        var client = parser.ParseRequest(
            baseType.TypeArguments[0], ContractRoles.Proxy | ContractRoles.BroadcastProxy, hubContext, cancellationToken);
        var ns = hub.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new HubModel(
            canEmit,
            complete,
            ns,
            hub.Name,
            Parser.Display(hub),
            contracts.ToEquatableArray(),
            client,
            parser.Diagnostics.Concat(diagnostics).ToEquatableArray(),
            parser.Gaps.ToEquatableArray());
    }

    // The hub's own interfaces are its server contracts; framework interfaces (IDisposable, the dispatcher) are not.
    private static bool IsUserInterface(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return !(ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal) || type.ContainingAssembly?.Name == "TypedSio");
    }
}
