namespace TypedSio.Testing;

/// <summary>Finds the repository's folders from a test's output directory.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TypedSio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TypedSio.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder holding TypedSio.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>tests/js, where the official npm packages and the Node scripts live.</summary>
    public static string JsFixtures => Path.Combine(Root, "tests", "js");
}
