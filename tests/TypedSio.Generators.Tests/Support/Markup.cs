using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TypedSio.Generators.Tests.Support;

/// <summary>
/// Parses <c>{|TSIO001:text|}</c> markup: the text stays in the source, the span and id become an expected diagnostic.
/// Markup does not nest.
/// </summary>
internal static partial class Markup
{
    public static (string Source, IReadOnlyList<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<(string, TextSpan)>();
        var last = 0;
        foreach (Match match in MarkupPattern().Matches(markup))
        {
            source.Append(markup, last, match.Index - last);
            var text = match.Groups["text"].Value;
            expected.Add((match.Groups["id"].Value, new TextSpan(source.Length, text.Length)));
            source.Append(text);
            last = match.Index + match.Length;
        }

        source.Append(markup, last, markup.Length - last);
        return (source.ToString(), expected);
    }

    /// <summary>Asserts that the TSIO diagnostics in the marked file are exactly the marked ones.</summary>
    public static void AssertDiagnostics(string markup, IEnumerable<Diagnostic> diagnostics, string path = "/src/File0.cs")
    {
        var (_, expected) = Parse(markup);
        var actual = diagnostics
            .Where(d => d.Id.StartsWith("TSIO", StringComparison.Ordinal))
            .Select(d => (d.Id, Span: d.Location.SourceSpan, Path: d.Location.GetLineSpan().Path, Message: d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var describedActual = string.Join("\n", actual.Select(a => $"{a.Id} {a.Path} {a.Span}: {a.Message}"));
        Assert.True(
            expected.Count == actual.Count && expected.All(e => actual.Any(a => a.Id == e.Id && a.Span == e.Span && a.Path == path)),
            $"expected:\n{string.Join("\n", expected.Select(e => $"{e.Id} {path} {e.Span}"))}\nactual:\n{describedActual}");
    }

    [GeneratedRegex(@"\{\|(?<id>TSIO\d{3}):(?<text>.*?)\|\}", RegexOptions.Singleline)]
    private static partial Regex MarkupPattern();
}
