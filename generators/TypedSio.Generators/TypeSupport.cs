using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedSio.Generators;

/// <summary>Classifies the types contract methods take and return.</summary>
internal static class TypeSupport
{
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static TypeModel Describe(ITypeSymbol type) => new(
        type.ToDisplayString(FullyQualified),
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(FullyQualified),
        IsBuiltin(type),
        type.IsReferenceType);

    /// <summary>The name without any nullable reference annotation, as <c>typeof</c> in a JsonSerializable attribute sees it.</summary>
    public static string Key(string typeName) => typeName.Replace("?", string.Empty);

    public static string Key(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("?", string.Empty);

    public static bool IsCancellationToken(ITypeSymbol type) =>
        type.MetadataName == "CancellationToken" && type.ContainingNamespace?.ToDisplayString() == "System.Threading";

    public static bool IsSupported(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol or ITypeParameterSymbol or IDynamicTypeSymbol => false,
        { IsRefLikeType: true } => false,
        { TypeKind: TypeKind.Delegate or TypeKind.Error } => false,
        _ when IsCancellationToken(type) => false,
        IArrayTypeSymbol array => IsSupported(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } named => named.TypeArguments.All(IsSupported),
        _ => true,
    };

    /// <summary>Plain values TypedSio writes like JSON.stringify and reads with its own metadata.</summary>
    public static bool IsBuiltin(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char:
            case SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16:
            case SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64:
            case SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal or SpecialType.System_DateTime:
                return true;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return true;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        return (type.MetadataName, ns) switch
        {
            ("DateTimeOffset", "System") => true,
            ("JsonElement", "System.Text.Json") => true,
            ("ReadOnlyMemory`1", "System") => ((INamedTypeSymbol)type).TypeArguments[0].SpecialType == SpecialType.System_Byte,
            _ => false,
        };
    }
}

/// <summary>Names for generated members.</summary>
internal static class Naming
{
    /// <summary>A C# identifier from a fully qualified type name: <c>global::Chat.IRpc&lt;int&gt;</c> becomes <c>Chat_IRpc_int</c>.</summary>
    public static string Identifier(string typeName)
    {
        var text = typeName.Replace("global::", string.Empty);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                builder.Append(c);
            }
            else if (c == '?')
            {
                builder.Append("_Nullable");
            }
            else if (c == '[')
            {
                builder.Append("_Array");
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_')
            {
                builder.Append('_');
            }
        }

        var identifier = builder.ToString().TrimEnd('_');
        return identifier.Length > 0 && char.IsDigit(identifier[0]) ? "_" + identifier : identifier;
    }

    public static string EscapeKeyword(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
}

/// <summary>What a JsonSerializerContext knows: its <c>[JsonSerializable]</c> roots and the types reachable from them.</summary>
internal static class JsonContextScanner
{
    private const int MaxTypes = 512;

    public static HashSet<string> KnownTypes(ITypeSymbol context)
    {
        var known = new HashSet<string>(System.StringComparer.Ordinal);
        var queue = new Queue<ITypeSymbol>();
        foreach (var attribute in context.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "JsonSerializableAttribute" } c
                && c.ContainingNamespace?.ToDisplayString() == "System.Text.Json.Serialization"
                && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value is ITypeSymbol root)
            {
                queue.Enqueue(root);
            }
        }

        while (queue.Count > 0 && known.Count < MaxTypes)
        {
            var type = queue.Dequeue();
            if (!known.Add(TypeSupport.Key(type)))
            {
                continue;
            }

            foreach (var next in Reachable(type))
            {
                queue.Enqueue(next);
            }
        }

        return known;
    }

    private static IEnumerable<ITypeSymbol> Reachable(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            yield return array.ElementType;
            yield break;
        }

        if (type is not INamedTypeSymbol named)
        {
            yield break;
        }

        foreach (var argument in named.TypeArguments)
        {
            yield return argument;
        }

        if (named.ContainingNamespace?.ToDisplayString().StartsWith("System", System.StringComparison.Ordinal) == true)
        {
            yield break;
        }

        for (var current = named; current is not null; current = current.BaseType)
        {
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public)
                {
                    yield return property.Type;
                }
            }
        }
    }
}
