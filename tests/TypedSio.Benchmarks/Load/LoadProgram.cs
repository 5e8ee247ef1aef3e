namespace TypedSio.Benchmarks.Load;

/// <summary>
/// <c>load compare --ours "FILE ARGS" --node "FILE ARGS" [--ours-aot "FILE ARGS"] [options]</c> runs the comparison;
/// <c>load echo-server</c> is the calibration target (port from PORT). Server arguments may use <c>{port}</c>.
/// </summary>
internal static class LoadProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "echo-server")
        {
            return await EchoServer.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length == 0 || args[0] != "compare")
        {
            Console.Error.WriteLine("usage: load compare --ours CMD --node CMD [--ours-aot CMD] [--ours-connection-level CMD] [--echo CMD] [--pairs N] [--duration S] ... | load echo-server");
            return 2;
        }

        var options = LoadOptions.Parse(args[1..], out var rest);
        string? Take(string name)
        {
            var at = rest.IndexOf(name);
            return at >= 0 && at + 1 < rest.Count ? rest[at + 1] : null;
        }

        static ServerSpec Spec(string name, string command)
        {
            var space = command.IndexOf(' ', StringComparison.Ordinal);
            return space < 0
                ? new ServerSpec(name, command, "", Directory.GetCurrentDirectory())
                : new ServerSpec(name, command[..space], command[(space + 1)..], Directory.GetCurrentDirectory());
        }

        var ours = Spec("ours", Take("--ours") ?? throw new ArgumentException("--ours is required"));
        var node = Spec("node", Take("--node") ?? throw new ArgumentException("--node is required"));
        var aot = Take("--ours-aot") is { } a ? Spec("ours (AOT)", a) : null;
        var connectionLevel = Take("--ours-connection-level") is { } c ? Spec("ours (connection-level)", c) : null;
        var echo = Spec("echo", Take("--echo") ?? $"{Environment.ProcessPath} {typeof(LoadProgram).Assembly.Location} load echo-server");
        return await new Compare(options, ours, node, aot, connectionLevel, echo).RunAsync().ConfigureAwait(false);
    }
}
