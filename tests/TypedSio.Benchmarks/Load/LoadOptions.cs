using System.Globalization;

namespace TypedSio.Benchmarks.Load;

/// <summary>Sizes and durations of the scenarios; every one can be set from the command line (<c>--name value</c>).</summary>
internal sealed class LoadOptions
{
    public double Warmup { get; set; } = 2;
    public double Duration { get; set; } = 4;
    public int Pairs { get; set; } = 3;
    public int EchoConnections { get; set; } = 50;
    public int Window { get; set; } = 32;
    public int Batch { get; set; } = 16;
    public int LatencyConnections { get; set; } = 100;
    public int LatencyRate { get; set; } = 10_000;
    public int FanOutSmall { get; set; } = 1_000;
    public int FanOutLarge { get; set; } = 10_000;
    public int FanOutWindow { get; set; } = 32;
    public int IdleConnections { get; set; } = 10_000;
    public int ConnectConcurrency { get; set; } = 64;
    public int PollingClients { get; set; } = 20;
    public int PollingBatch { get; set; } = 10;
    public int StartupRuns { get; set; } = 5;
    public string Scenarios { get; set; } = "all";
    public string Out { get; set; } = "docs/benchmarks";
    public string ServerCpu { get; set; } = "0";
    public string ToolCpu { get; set; } = "1";
    public string RedisRoomSizes { get; set; } = "10,100";
    public int RedisWindow { get; set; } = 32;

    public static LoadOptions Parse(IReadOnlyList<string> args, out List<string> rest)
    {
        var options = new LoadOptions();
        rest = [];
        var properties = typeof(LoadOptions).GetProperties().ToDictionary(p => "--" + Kebab(p.Name), StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            if (properties.TryGetValue(args[i], out var property) && i + 1 < args.Count)
            {
                var value = args[++i];
                property.SetValue(options, property.PropertyType == typeof(string) ? value : Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return options;
    }

    public bool Includes(string scenario) => Scenarios == "all" || Scenarios.Split(',').Contains(scenario, StringComparer.OrdinalIgnoreCase);

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
