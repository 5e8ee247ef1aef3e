using BenchmarkDotNet.Running;
using TypedSio.Benchmarks.Load;

// dotnet run -c Release --project tests/TypedSio.Benchmarks -- --filter '*'      BenchmarkDotNet microbenchmarks
// dotnet run -c Release --project tests/TypedSio.Benchmarks -- load compare ...   the end-to-end comparison (bench/compare.sh)
if (args.Length > 0 && args[0] == "load")
{
    return await LoadProgram.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
