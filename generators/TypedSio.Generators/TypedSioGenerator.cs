using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TypedSio.Generators;

/// <summary>
/// Emits reflection-free glue for typed Socket.IO contracts, triggered from usage sites: <c>CreateProxy&lt;T&gt;()</c>
/// and <c>Register&lt;T&gt;(receiver)</c> calls, and hub classes deriving from <c>SocketHub&lt;TClient&gt;</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class TypedSioGenerator : IIncrementalGenerator
{
    /// <summary>Tracked step names, asserted by the incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Contract requests from invocations.</summary>
        public const string Invocations = nameof(Invocations);

        /// <summary>Contract requests from <c>[assembly: SocketProxy]</c>.</summary>
        public const string ProxyAttributes = nameof(ProxyAttributes);

        /// <summary>Contract requests from <c>[assembly: SocketReceiver]</c>.</summary>
        public const string ReceiverAttributes = nameof(ReceiverAttributes);

        /// <summary>Every contract request of the compilation.</summary>
        public const string Requests = nameof(Requests);

        /// <summary>Hub models.</summary>
        public const string Hubs = nameof(Hubs);

        /// <summary>Contracts merged over every usage site.</summary>
        public const string Contracts = nameof(Contracts);

        /// <summary>Diagnostics merged over every usage site.</summary>
        public const string Diagnostics = nameof(Diagnostics);

        /// <summary>Whether the project builds for native AOT.</summary>
        public const string AotMode = nameof(AotMode);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var invocations = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => IsContractInvocation(node), static (ctx, ct) => ParseInvocation(ctx, ct))
            .Where(static request => request is not null)
            .Select(static (request, _) => request!)
            .WithTrackingName(TrackingNames.Invocations);

        var proxyAttributes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "TypedSio.Hubs.SocketProxyAttribute",
                static (node, _) => node is CompilationUnitSyntax,
                static (ctx, ct) => ParseAssemblyAttributes(ctx, ContractRoles.Proxy | ContractRoles.BroadcastProxy, ct))
            .WithTrackingName(TrackingNames.ProxyAttributes);

        var receiverAttributes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "TypedSio.Hubs.SocketReceiverAttribute",
                static (node, _) => node is CompilationUnitSyntax,
                static (ctx, ct) => ParseAssemblyAttributes(ctx, ContractRoles.Binder, ct))
            .WithTrackingName(TrackingNames.ReceiverAttributes);

        var requests = invocations.Collect()
            .Combine(proxyAttributes.SelectMany(static (r, _) => r).Collect())
            .Combine(receiverAttributes.SelectMany(static (r, _) => r).Collect())
            .Select(static (input, _) => input.Left.Left.Concat(input.Left.Right).Concat(input.Right).ToEquatableArray())
            .WithTrackingName(TrackingNames.Requests);

        var hubs = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => IsHubCandidate(node), static (ctx, ct) => ParseHub(ctx, ct))
            .Where(static hub => hub is not null)
            .Select(static (hub, _) => hub!)
            .WithTrackingName(TrackingNames.Hubs);

        var aotMode = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => IsAotMode(options.GlobalOptions))
            .WithTrackingName(TrackingNames.AotMode);

        var collectedInvocations = requests;
        var collectedHubs = hubs.Collect();

        var contracts = collectedInvocations
            .Combine(collectedHubs)
            .Select(static (pair, _) => MergeContracts(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Contracts);

        var diagnostics = collectedInvocations
            .Combine(collectedHubs)
            .Combine(aotMode)
            .Select(static (input, _) => MergeDiagnostics(input.Left.Left, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(contracts.SelectMany(static (units, _) => units), static (spc, unit) =>
            spc.AddSource(unit.Contract.Identifier + ".g.cs", Emitter.EmitContract(unit.Contract, unit.Roles)));

        context.RegisterSourceOutput(contracts, static (spc, units) =>
        {
            if (units.Any(u => u.Roles != ContractRoles.None))
            {
                spc.AddSource("TypedSioContractRegistration.g.cs", Emitter.EmitRegistration(units));
            }
        });

        context.RegisterSourceOutput(collectedHubs.SelectMany(static (hubs, _) => DistinctHubs(hubs)), static (spc, hub) =>
            spc.AddSource(Naming.Identifier(hub.FullName) + ".Hub.g.cs", Emitter.EmitHub(hub)));

        context.RegisterSourceOutput(diagnostics, static (spc, items) =>
        {
            foreach (var item in items)
            {
                spc.ReportDiagnostic(item.ToDiagnostic());
            }
        });
    }

    private static bool IsContractInvocation(SyntaxNode node) =>
        node is InvocationExpressionSyntax { Expression: var expression }
        && GetName(expression) is { Identifier.ValueText: "CreateProxy" or "Register" or "Bind" or "CreateBroadcastProxy" };

    private static SimpleNameSyntax? GetName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name,
        MemberBindingExpressionSyntax binding => binding.Name,
        SimpleNameSyntax name => name,
        _ => null,
    };

    private static bool IsHubCandidate(SyntaxNode node) =>
        node is ClassDeclarationSyntax { BaseList: { } baseList }
        && baseList.Types.Any(t => GetRightmostName(t.Type) is GenericNameSyntax { Identifier.ValueText: "SocketHub" });

    private static SimpleNameSyntax? GetRightmostName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right,
        AliasQualifiedNameSyntax alias => alias.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };

    private static ContractRequest? ParseInvocation(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        var owner = definition.ContainingType;
        if (owner is null || owner.ContainingNamespace?.ToDisplayString() != "TypedSio.Hubs"
            || owner.Name is not ("SocketContractExtensions" or "SocketContractRegistry")
            || method.TypeArguments.Length != 1 || method.TypeArguments[0] is ITypeParameterSymbol)
        {
            return null;
        }

        var roles = method.Name switch
        {
            "CreateProxy" => ContractRoles.Proxy,
            "CreateBroadcastProxy" => ContractRoles.BroadcastProxy,
            "Register" or "Bind" => ContractRoles.Binder,
            _ => ContractRoles.None,
        };
        if (roles == ContractRoles.None)
        {
            return null;
        }

        var name = GetName(invocation.Expression) as GenericNameSyntax;
        var location = name?.TypeArgumentList.Arguments.FirstOrDefault()?.GetLocation() ?? invocation.GetLocation();
        return new Parser(location).ParseRequest(method.TypeArguments[0], roles, fallbackContext: null, cancellationToken);
    }

    private static EquatableArray<ContractRequest> ParseAssemblyAttributes(
        GeneratorAttributeSyntaxContext context, ContractRoles roles, CancellationToken cancellationToken)
    {
        var requests = new List<ContractRequest>();
        foreach (var attribute in context.Attributes)
        {
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not ITypeSymbol contract
                || contract is ITypeParameterSymbol)
            {
                continue;
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var location = syntax?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? syntax?.GetLocation() ?? Location.None;
            requests.Add(new Parser(location).ParseRequest(contract, roles, fallbackContext: null, cancellationToken));
        }

        return requests.ToEquatableArray();
    }

    private static bool IsAotMode(AnalyzerConfigOptions options) =>
        IsTrue(options, "build_property.PublishAot") || IsTrue(options, "build_property.IsAotCompatible")
        || IsTrue(options, "build_property.PublishTrimmed") || IsTrue(options, "build_property.IsTrimmable");

    private static bool IsTrue(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<HubModel> DistinctHubs(ImmutableArray<HubModel> hubs) =>
        hubs.Where(h => h.CanEmit).GroupBy(h => h.FullName, StringComparer.Ordinal).Select(g => g.First());

    private static EquatableArray<ContractUnit> MergeContracts(EquatableArray<ContractRequest> invocations, ImmutableArray<HubModel> hubs)
    {
        var requests = invocations.Concat(hubs.Select(h => h.Client))
            .Concat(hubs.SelectMany(h => h.ServerContracts.Select(c => new ContractRequest(c, ContractRoles.None, default, default))));
        var units = new Dictionary<string, ContractUnit>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request.Contract is not { } contract)
            {
                continue;
            }

            if (units.TryGetValue(contract.Identifier, out var existing))
            {
                // A contract without its own serializer context may get one from a hub: prefer the named context.
                var preferred = existing.Contract.SerializerContext is null ? contract : existing.Contract;
                units[contract.Identifier] = new ContractUnit(preferred, existing.Roles | request.Roles);
            }
            else
            {
                units.Add(contract.Identifier, new ContractUnit(contract, request.Roles));
            }
        }

        return units.Values.OrderBy(u => u.Contract.Identifier, StringComparer.Ordinal).ToEquatableArray();
    }

    private static EquatableArray<DiagnosticInfo> MergeDiagnostics(
        EquatableArray<ContractRequest> invocations, ImmutableArray<HubModel> hubs, bool aotMode)
    {
        var diagnostics = invocations.SelectMany(r => r.Diagnostics).Concat(hubs.SelectMany(h => h.Diagnostics));
        var gaps = invocations.SelectMany(r => r.MetadataGaps).Concat(hubs.SelectMany(h => h.MetadataGaps))
            .GroupBy(g => (g.ContractName, g.TypeName, g.ContextName))
            .Select(g => g.First())
            .Where(g => g.ContextName is not null || aotMode)
            .Select(g => g.ContextName is null
                ? new DiagnosticInfo(DiagnosticDescriptors.NoJsonContextInAotMode.Id, g.Location, new[] { g.ContractName, g.TypeName }.ToEquatableArray())
                : new DiagnosticInfo(DiagnosticDescriptors.MissingJsonMetadata.Id, g.Location, new[] { g.ContractName, g.TypeName, g.ContextName }.ToEquatableArray()));
        return diagnostics.Concat(gaps).Distinct().ToEquatableArray();
    }

    internal sealed record ContractUnit(ContractModel Contract, ContractRoles Roles);
}
