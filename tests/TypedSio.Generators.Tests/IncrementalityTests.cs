using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TypedSio.Generators.Tests.Support;

namespace TypedSio.Generators.Tests;

public sealed class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    [
        TypedSioGenerator.TrackingNames.Invocations,
        TypedSioGenerator.TrackingNames.Requests,
        TypedSioGenerator.TrackingNames.Hubs,
        TypedSioGenerator.TrackingNames.Contracts,
        TypedSioGenerator.TrackingNames.Diagnostics,
        TypedSioGenerator.TrackingNames.AotMode,
    ];

    private const string Unrelated = "namespace Other; public static class Helper { public static int Twice(int x) => x * 2; }";

    [Fact]
    public void SecondRun_UnrelatedFileEdited_EveryTrackedStepIsCachedOrUnchanged()
    {
        var (_, second) = RunTwice(3, "namespace Other; public static class Helper { public static int Thrice(int x) => x * 3; }");

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void SecondRun_UsageFileEditedWithoutChangingUsage_EveryTrackedStepIsCachedOrUnchanged()
    {
        var (_, second) = RunTwice(2, Sources.ChatClientUsage + "\n// a comment that moves nothing the generator reads\n");

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void SecondRun_ContractMethodRenamed_RegeneratesTheContract()
    {
        var (_, second) = RunTwice(0, Sources.ChatContracts.Replace("Task MessageReceived(", "Task MessageArrived(", StringComparison.Ordinal));

        var contracts = second.TrackedSteps[TypedSioGenerator.TrackingNames.Contracts].SelectMany(s => s.Outputs);
        Assert.Contains(contracts, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"messageArrived\"", second.GeneratedSources.Single(s => s.HintName == "Chat_IChatClient.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TrackedSteps_Outputs_HoldNoSymbolsSyntaxLocationsOrCompilations()
    {
        var (first, _) = RunTwice(3, Unrelated + " ");
        var bad = first.TrackedSteps.Where(s => TrackedSteps.Contains(s.Key))
            .SelectMany(s => s.Value)
            .SelectMany(step => step.Outputs)
            .SelectMany(output => FindForbidden(output.Value, "output", 0))
            .ToList();

        Assert.NotEmpty(first.TrackedSteps[TypedSioGenerator.TrackingNames.Invocations]);
        Assert.Empty(bad);
    }

    /// <summary>Runs the driver over the chat sources, then again with source <paramref name="index"/> replaced.</summary>
    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(int index, string replacement)
    {
        var compilation = GeneratorHarness.CreateCompilation([Sources.ChatContracts, Sources.ChatHub, Sources.ChatClientUsage, Unrelated]);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();

        var tree = compilation.SyntaxTrees.ElementAt(index);
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(replacement)));
        driver = driver.RunGenerators(edited);
        return (first, driver.GetRunResult().Results.Single());
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (var name in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var (_, reason) in result.TrackedSteps[name].SelectMany(s => s.Outputs))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} output was {reason}");
            }
        }

        foreach (var (_, reason) in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output step was {reason}");
        }
    }

    private static IEnumerable<string> FindForbidden(object? value, string path, int depth)
    {
        if (value is null || depth > 12 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            yield break;
        }

        if (value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel)
        {
            yield return $"{path}: {value.GetType().Name}";
            yield break;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                foreach (var found in FindForbidden(item, $"{path}[{i++}]", depth + 1))
                {
                    yield return found;
                }
            }

            yield break;
        }

        const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var field in value.GetType().GetFields(Flags))
        {
            foreach (var found in FindForbidden(field.GetValue(value), $"{path}.{field.Name}", depth + 1))
            {
                yield return found;
            }
        }
    }
}
