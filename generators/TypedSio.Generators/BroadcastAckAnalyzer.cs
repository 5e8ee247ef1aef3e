using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TypedSio.Generators;

/// <summary>
/// Reports TSIO009 when a contract method that expects an acknowledgement is called directly on a broadcast target
/// (a member marked <c>[SocketBroadcastTarget]</c>, such as <c>Clients.All</c>): such a call has no timeout and no
/// place for one reply per recipient.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BroadcastAckAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.BroadcastAckWithoutTimeout);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("TypedSio.Hubs.SocketBroadcastTargetAttribute") is { } marker)
            {
                start.RegisterOperationAction(ctx => AnalyzeInvocation(ctx, marker), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol marker)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.ContainingType?.TypeKind != TypeKind.Interface
            || method.ReturnType is not INamedTypeSymbol { IsGenericType: true } returnType
            || returnType.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks"
            || returnType.MetadataName is not ("Task`1" or "ValueTask`1"))
        {
            return;
        }

        if (IsBroadcastTarget(invocation.Instance, invocation, marker))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.BroadcastAckWithoutTimeout, invocation.Syntax.GetLocation(), method.Name));
        }
    }

    // A local counts when its declaration initializes it from a broadcast target: var everyone = Clients.All.
    private static bool IsBroadcastTarget(IOperation? instance, IOperation site, INamedTypeSymbol marker)
    {
        switch (instance)
        {
            case IConversionOperation conversion:
                return IsBroadcastTarget(conversion.Operand, site, marker);
            case IPropertyReferenceOperation property:
                return HasMarker(property.Property.OriginalDefinition, marker);
            case IInvocationOperation call:
                return HasMarker(call.TargetMethod.OriginalDefinition, marker);
            case ILocalReferenceOperation local:
                var root = site;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                foreach (var declarator in root.Descendants().OfType<IVariableDeclaratorOperation>())
                {
                    if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
                    {
                        return declarator.Initializer?.Value is { } value && value != instance && IsBroadcastTarget(value, site, marker);
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool HasMarker(ISymbol symbol, INamedTypeSymbol marker)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, marker))
            {
                return true;
            }
        }

        return false;
    }
}
