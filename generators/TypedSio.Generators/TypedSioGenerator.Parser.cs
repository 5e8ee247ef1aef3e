using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TypedSio.Generators;

public sealed partial class TypedSioGenerator
{
    /// <summary>Turns a contract type seen at a usage site into a model; symbols never leave this class.</summary>
    internal sealed class Parser
    {
        private static readonly HashSet<string> ReservedEventNames =
            ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

        private readonly Location _usage;
        private readonly List<DiagnosticInfo> _diagnostics = [];
        private readonly List<JsonMetadataGap> _gaps = [];

        public Parser(Location usage) => _usage = usage;

        public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

        public IReadOnlyList<JsonMetadataGap> Gaps => _gaps;

        public ContractRequest ParseRequest(ITypeSymbol type, ContractRoles roles, ITypeSymbol? fallbackContext, CancellationToken cancellationToken)
        {
            var start = _diagnostics.Count;
            var gapStart = _gaps.Count;
            var contract = ParseContract(type, fallbackContext, cancellationToken);
            return new ContractRequest(
                contract, roles, _diagnostics.Skip(start).ToEquatableArray(), _gaps.Skip(gapStart).ToEquatableArray());
        }

        /// <summary>Parses a contract; returns null (with diagnostics) when code cannot be generated for it.</summary>
        public ContractModel? ParseContract(ITypeSymbol type, ITypeSymbol? fallbackContext, CancellationToken cancellationToken)
        {
            var contractName = Display(type);
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Interface } contract)
            {
                if (type.TypeKind != TypeKind.Error)
                {
                    Report(DiagnosticDescriptors.NotAnInterface, _usage, contractName);
                }

                return null;
            }

            var errors = _diagnostics.Count;
            var policy = GetNamingPolicy(contract);
            var context = GetSerializerContext(contract) ?? fallbackContext;
            var methods = new List<MethodModel>();
            var eventOwners = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var member in GetContractMembers(contract))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    if (member is IPropertySymbol or IEventSymbol)
                    {
                        Report(DiagnosticDescriptors.UnsupportedMember, LocationOf(member), contractName, member.Name);
                    }

                    continue;
                }

                var model = ParseMethod(method, contractName, policy);
                if (model is null)
                {
                    continue;
                }

                if (eventOwners.TryGetValue(model.EventName, out var owner))
                {
                    Report(DiagnosticDescriptors.DuplicateEventName, LocationOf(method), method.Name, model.EventName, owner);
                    continue;
                }

                eventOwners.Add(model.EventName, method.Name);
                methods.Add(model);
            }

            if (_diagnostics.Count > errors)
            {
                return null;
            }

            var jsonTypes = methods
                .SelectMany(m => m.Parameters.Where(p => !p.IsCancellationToken).Select(p => p.Type).Concat(m.Result is null ? [] : [m.Result]))
                .GroupBy(t => t.TypeArgumentName, System.StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(t => t.TypeArgumentName, System.StringComparer.Ordinal)
                .ToList();
            FindMetadataGaps(contractName, context, jsonTypes);
            return new ContractModel(
                contractName, Naming.Identifier(contractName), context is null ? null : Display(context), methods.ToEquatableArray(), jsonTypes.ToEquatableArray());
        }

        private MethodModel? ParseMethod(IMethodSymbol method, string contractName, int policy)
        {
            var location = LocationOf(method);
            if (method.IsGenericMethod)
            {
                // Its parameters mention the method's type parameters: one diagnostic says it all.
                Report(DiagnosticDescriptors.GenericMethod, location, method.Name, contractName);
                return null;
            }

            var valid = true;

            var returnKind = GetReturnKind(method.ReturnType);
            TypeModel? result = null;
            if (returnKind is null)
            {
                Report(DiagnosticDescriptors.UnsupportedReturnType, location, method.Name, contractName, Display(method.ReturnType));
                valid = false;
            }
            else if (returnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
            {
                var resultType = ((INamedTypeSymbol)method.ReturnType).TypeArguments[0];
                result = TypeSupport.Describe(resultType);
                if (!TypeSupport.IsSupported(resultType))
                {
                    Report(DiagnosticDescriptors.UnsupportedReturnType, location, method.Name, contractName, Display(method.ReturnType));
                    valid = false;
                }
            }

            var parameters = new List<ParameterModel>();
            var hasToken = false;
            foreach (var parameter in method.Parameters)
            {
                var parameterLocation = LocationOf(parameter);
                var qualifiedName = contractName + "." + method.Name;
                var modifier = parameter.IsParams ? "params" : parameter.RefKind switch
                {
                    RefKind.Ref => "ref",
                    RefKind.Out => "out",
                    RefKind.In => "in",
                    RefKind.None => null,
                    _ => "ref readonly",
                };
                if (modifier is not null)
                {
                    Report(DiagnosticDescriptors.UnsupportedParameterModifier, parameterLocation, parameter.Name, qualifiedName, modifier);
                    valid = false;
                    continue;
                }

                var isToken = TypeSupport.IsCancellationToken(parameter.Type);
                if ((isToken && hasToken) || (!isToken && !TypeSupport.IsSupported(parameter.Type)))
                {
                    if (parameter.Type.TypeKind != TypeKind.Error)
                    {
                        Report(DiagnosticDescriptors.UnsupportedParameterType, parameterLocation, parameter.Name, qualifiedName, Display(parameter.Type));
                    }

                    valid = false;
                    continue;
                }

                hasToken |= isToken;
                parameters.Add(new ParameterModel(Naming.EscapeKeyword(parameter.Name), TypeSupport.Describe(parameter.Type), isToken));
            }

            var eventName = GetEventName(method) ?? EventNaming.Apply(method.Name, policy);
            if (eventName.Length == 0 || ReservedEventNames.Contains(eventName))
            {
                Report(DiagnosticDescriptors.ReservedEventName, location, method.Name, eventName);
                valid = false;
            }

            return valid && returnKind is { } kind
                ? new MethodModel(method.Name, eventName, Display(method.ReturnType), kind, result, parameters.ToEquatableArray())
                : null;
        }

        private void FindMetadataGaps(string contractName, ITypeSymbol? context, List<TypeModel> types)
        {
            var known = context is null ? null : JsonContextScanner.KnownTypes(context);
            foreach (var type in types)
            {
                if (type.IsBuiltin || (known is not null && known.Contains(TypeSupport.Key(type.TypeArgumentName))))
                {
                    continue;
                }

                _gaps.Add(new JsonMetadataGap(contractName, type.TypeArgumentName, context is null ? null : Display(context), LocationInfo.From(_usage)));
            }
        }

        private static IEnumerable<ISymbol> GetContractMembers(INamedTypeSymbol contract) =>
            contract.GetMembers()
                .Concat(contract.AllInterfaces.SelectMany(i => i.GetMembers()))
                .Where(m => !m.IsStatic && m.IsAbstract);

        private static ReturnKind? GetReturnKind(ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol named || named.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
            {
                return null;
            }

            return named.MetadataName switch
            {
                "Task" => ReturnKind.Task,
                "Task`1" => ReturnKind.TaskOfT,
                "ValueTask" => ReturnKind.ValueTask,
                "ValueTask`1" => ReturnKind.ValueTaskOfT,
                _ => null,
            };
        }

        private static int GetNamingPolicy(INamedTypeSymbol contract)
        {
            var attribute = FindAttribute(contract.OriginalDefinition, "SocketContractAttribute");
            foreach (var argument in attribute?.NamedArguments ?? [])
            {
                if (argument.Key == "NamingPolicy" && argument.Value.Value is int policy)
                {
                    return policy;
                }
            }

            return EventNaming.CamelCase;
        }

        private static string? GetEventName(IMethodSymbol method) =>
            FirstArgument(FindAttribute(method.OriginalDefinition, "SocketEventAttribute")) as string;

        internal static ITypeSymbol? GetSerializerContext(ISymbol symbol) =>
            FirstArgument(FindAttribute(symbol.OriginalDefinition, "SocketContractSerializerAttribute")) as ITypeSymbol;

        private static object? FirstArgument(AttributeData? attribute) =>
            attribute is { ConstructorArguments.Length: 1 } ? attribute.ConstructorArguments[0].Value : null;

        private static AttributeData? FindAttribute(ISymbol symbol, string name) =>
            symbol.GetAttributes().FirstOrDefault(a =>
                a.AttributeClass is { } c && c.Name == name && c.ContainingNamespace?.ToDisplayString() == "TypedSio");

        private Location LocationOf(ISymbol symbol) =>
            symbol.Locations.FirstOrDefault(l => l.IsInSource) is { } location && location.SourceTree is not null ? location : _usage;

        private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
            _diagnostics.Add(new DiagnosticInfo(descriptor.Id, LocationInfo.From(location), arguments.ToEquatableArray()));

        internal static string Display(ITypeSymbol type) => type.ToDisplayString(TypeSupport.FullyQualified);
    }
}
