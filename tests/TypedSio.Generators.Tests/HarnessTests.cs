using TypedSio.Generators.Tests.Support;

namespace TypedSio.Generators.Tests;

public sealed class HarnessTests
{
    [Fact]
    public void FirstDifference_ChangedLine_ReportsItsNumberAndBothLines()
    {
        Assert.Equal((2, "b", "x"), Snapshot.FirstDifference("a\nb\nc", "a\nx\nc"));
    }

    [Fact]
    public void FirstDifference_ShorterActual_ReportsEndOfFile()
    {
        Assert.Equal((3, "c", "<end of file>"), Snapshot.FirstDifference("a\nb\nc", "a\nb"));
    }

    [Fact]
    public void FirstDifference_EqualTexts_IsNull()
    {
        Assert.Null(Snapshot.FirstDifference("a\nb", "a\nb"));
    }

    [Fact]
    public void Markup_Parse_StripsMarkersAndKeepsSpans()
    {
        var (source, expected) = Markup.Parse("int {|TSIO002:Count|}(); void {|TSIO005:M|}();");

        Assert.Equal("int Count(); void M();", source);
        Assert.Equal([("TSIO002", new Microsoft.CodeAnalysis.Text.TextSpan(4, 5)), ("TSIO005", new Microsoft.CodeAnalysis.Text.TextSpan(18, 1))], expected);
    }

    [Fact]
    public void Generator_SourcesInAnotherOrder_EmitsIdenticalText()
    {
        var forward = GeneratorHarness.Run([Sources.ChatContracts, Sources.ChatHub, Sources.ChatClientUsage]);
        var backward = GeneratorHarness.Run([Sources.ChatClientUsage, Sources.ChatHub, Sources.ChatContracts]);

        Assert.Equal(
            forward.Result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => (s.HintName, s.SourceText.ToString())),
            backward.Result.Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => (s.HintName, s.SourceText.ToString())));
    }
}
