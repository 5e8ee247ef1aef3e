using System.Diagnostics;

namespace TypedSio.Testing;

/// <summary>The outcome of an <see cref="IsolatedCommand"/>.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">What it wrote to stdout.</param>
/// <param name="Stderr">What it wrote to stderr.</param>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout then stderr, for assertion messages.</summary>
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Runs a command (usually <c>dotnet</c>) the way a fresh machine would: without the test host's MSBuild variables and
/// with a private NuGet package cache, so package tests see only the feeds they configure.
/// </summary>
public static class IsolatedCommand
{
    /// <summary>Runs the command to completion, killing its process tree if it outlives <paramref name="timeout"/>.</summary>
    /// <param name="command">The program.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="packageCache">The NuGet package cache it uses (NUGET_PACKAGES).</param>
    /// <param name="timeout">How long it may run.</param>
    /// <param name="arguments">Its arguments.</param>
    public static async Task<CommandResult> RunAsync(string command, string workingDirectory, string packageCache, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point the child build at the wrong MSBuild.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["NUGET_PACKAGES"] = packageCache;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
