using System.Collections.Immutable;
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

        var target = invocation.Instance switch
        {
            IPropertyReferenceOperation property => (ISymbol)property.Property,
            IInvocationOperation call => call.TargetMethod,
            _ => null,
        };
        if (target is not null && HasMarker(target.OriginalDefinition, marker))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.BroadcastAckWithoutTimeout, invocation.Syntax.GetLocation(), method.Name));
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
