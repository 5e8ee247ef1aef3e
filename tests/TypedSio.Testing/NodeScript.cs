using System.Diagnostics;

namespace TypedSio.Testing;

/// <summary>Runs a Node.js script from tests/js to completion and returns what it printed.</summary>
public static class NodeScript
{
    /// <summary>Runs <c>node tests/js/{script} {args}</c>, feeding <paramref name="input"/> to stdin.</summary>
    /// <param name="script">The script's file name under tests/js.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="input">Text for its stdin, or null.</param>
    /// <param name="timeout">How long it may run.</param>
    /// <returns>Its stdout.</returns>
    public static async Task<string> RunAsync(string script, IEnumerable<string> args, string? input = null, TimeSpan? timeout = null)
    {
        await NodeProcess.EnsureNpmPackagesAsync();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.JsFixtures,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.JsFixtures, script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
