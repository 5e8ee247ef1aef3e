using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/TypedSio.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
