using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedSio.Generators;
using TypedSio.SocketIO;

namespace TypedSio.Generators.Tests.Support;

/// <summary>Runs the generator (and the companion analyzer) over in-memory compilations.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(SocketIOPacket).Assembly.Location)];

    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, IEnumerable<MetadataReference>? extra = null, string name = "Tests") =>
        CSharpCompilation.Create(
            name,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"/src/File{i}.cs")),
            References.AddRange(extra ?? []),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Compiles sources into an in-memory assembly, for contracts that come from a referenced project or package.</summary>
    public static MetadataReference CompileLibrary(string source, string name)
    {
        var compilation = CreateCompilation([source], name: name);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    public static GeneratorDriver CreateDriver(bool aotMode = false) =>
        CSharpGeneratorDriver.Create(
            [new TypedSioGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            optionsProvider: new OptionsProvider(aotMode ? new Dictionary<string, string> { ["build_property.PublishAot"] = "true" } : []),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutput Run(IEnumerable<string> sources, IEnumerable<MetadataReference>? extra = null, bool aotMode = false)
    {
        var compilation = CreateCompilation(sources, extra);
        var driver = CreateDriver(aotMode).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var analyzerDiagnostics = output
            .WithAnalyzers([new BroadcastAckAnalyzer()])
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter().GetResult();
        return new GeneratorOutput(
            driver.GetRunResult(),
            output,
            generatorDiagnostics.AddRange(analyzerDiagnostics),
            output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError).ToImmutableArray());
    }

    private sealed class OptionsProvider(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(values);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options([]);

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}

/// <param name="Result">The driver's run result (generated sources, tracked steps).</param>
/// <param name="Compilation">The compilation with the generated sources added.</param>
/// <param name="Diagnostics">What the generator and the broadcast-ack analyzer reported.</param>
/// <param name="CompilationDiagnostics">Compiler warnings and errors of the output compilation.</param>
internal sealed record GeneratorOutput(
    GeneratorDriverRunResult Result,
    Compilation Compilation,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics)
{
    public string Source(string hintName) =>
        Result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    public IEnumerable<string> HintNames => Result.Results.Single().GeneratedSources.Select(s => s.HintName);
}
