using System.Runtime.CompilerServices;

namespace TypedSio.Generators.Tests.Support;

/// <summary>
/// Compares text with an expected file under <c>Snapshots/</c> beside the tests. <c>TYPEDSIO_ACCEPT=1</c> rewrites the
/// expected files; otherwise a mismatch writes <c>NAME.received.cs</c> and fails at the first differing line.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        var directory = Path.Combine(FindTestsDirectory(callerPath), "Snapshots");
        var expectedPath = Path.Combine(directory, name + ".g.cs.expected");
        var receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("TYPEDSIO_ACCEPT") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(expectedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        var expected = File.Exists(expectedPath) ? File.ReadAllText(expectedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        if (expected is null)
        {
            Assert.Fail($"No snapshot {expectedPath}; wrote {receivedPath}. Run with TYPEDSIO_ACCEPT=1 to accept it.");
        }

        var (line, e, a) = FirstDifference(expected, actual)!.Value;
        Assert.Fail($"Snapshot {name} differs at line {line}.\nexpected: {e}\nactual:   {a}\nWrote {receivedPath}; TYPEDSIO_ACCEPT=1 accepts it.");
    }

    /// <summary>The first line (1-based) where two texts differ, with both lines; null when they are equal.</summary>
    public static (int Line, string Expected, string Actual)? FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var a = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (e != a)
            {
                return (i + 1, e, a);
            }
        }

        return null;
    }

    // The caller's path is where the test sources live, also when tests run from bin/.
    private static string FindTestsDirectory(string callerPath)
    {
        var directory = Path.GetDirectoryName(callerPath)!;
        while (!File.Exists(Path.Combine(directory, "TypedSio.Generators.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Test project directory not found from " + callerPath);
        }

        return directory;
    }
}
