using System.Globalization;
using System.Text;

namespace TypedSio.Benchmarks.Load;

/// <summary>The comparison's outputs: a Markdown table and an SVG plot of server memory against connections.</summary>
internal static class Report
{
    public static string Markdown(List<(string Scenario, string Metric, double Ours, double Node, double Ratio)> rows, LoadOptions options, string notes)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Each server pinned to CPU {options.ServerCpu} (`taskset`), the load tool to the other core; {options.Pairs} interleaved pairs per scenario, " +
            $"{options.Warmup:G} s warm-up and {options.Duration:G} s measured per run. Values are medians; the ratio is the median of the per-pair ratios (ours ÷ Node).");
        text.AppendLine();
        text.AppendLine("| scenario | metric | ours | Node | ratio |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Metric} | {Format(row.Ours)} | {Format(row.Node)} | {row.Ratio:0.00}× |");
        }

        text.AppendLine();
        text.AppendLine(notes.Trim());
        return text.ToString();
    }

    public static string MemorySvg(Dictionary<string, List<(double Connections, double RssMb)>> series)
    {
        const int width = 640, height = 400, left = 60, right = 20, top = 30, bottom = 50;
        var maxX = Math.Max(1, series.Values.SelectMany(s => s).Max(p => p.Connections));
        var maxY = Math.Max(1, series.Values.SelectMany(s => s).Max(p => p.RssMb)) * 1.1;
        string X(double v) => (left + (v / maxX * (width - left - right))).ToString("0.0", CultureInfo.InvariantCulture);
        string Y(double v) => (height - bottom - (v / maxY * (height - top - bottom))).ToString("0.0", CultureInfo.InvariantCulture);
        var colors = new[] { "#1f77b4", "#d62728", "#2ca02c" };
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\">Server RSS against open WebSocket connections</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"black\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var x = maxX * i / 4;
            var y = maxY * i / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{X(x)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{x:N0}</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(y)}\" text-anchor=\"end\">{y:N0}</text>");
        }

        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{height - 12}\" text-anchor=\"middle\">connections</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{height / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {height / 2})\">RSS (MB)</text>");
        var index = 0;
        foreach (var (name, points) in series)
        {
            var color = colors[index % colors.Length];
            var path = string.Join(' ', points.OrderBy(p => p.Connections).Select(p => X(p.Connections) + "," + Y(p.RssMb)));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + 10}\" y=\"{top + 16 + (16 * index)}\" fill=\"{color}\">{name}</text>");
            index++;
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Format(double value) =>
        double.IsNaN(value) ? "—" : Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
