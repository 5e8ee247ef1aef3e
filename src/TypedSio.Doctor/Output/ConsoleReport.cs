using Spectre.Console;
using Spectre.Console.Rendering;
using TypedSio.Doctor.Diagnosis;

namespace TypedSio.Doctor.Output;

/// <summary>
/// The terminal output: one line per check with its verdict, then the cause and the fix under a failing one. In colour
/// with a spinner on a terminal; the same text without colour or spinner when stdout is redirected.
/// </summary>
internal sealed class ConsoleReport(IAnsiConsole console, bool verbose)
{
    public void Header(DoctorOptions options) =>
        console.MarkupLine($"[bold]typedsio doctor[/] {Markup.Escape(options.Url)}");

    public void Write(CheckResult check)
    {
        var (label, colour) = check.Verdict switch
        {
            CheckVerdict.Pass => ("PASS", "green"),
            CheckVerdict.Warn => ("WARN", "yellow"),
            CheckVerdict.Fail => ("FAIL", "red"),
            _ => ("SKIP", "grey"),
        };
        // A grid keeps the cause, the fix and wrapped lines aligned under the summary on a narrow terminal.
        var body = new List<IRenderable> { new Markup(Markup.Escape(check.Summary)) };
        if (check.Cause is not null)
        {
            body.Add(new Markup($"[{colour}]cause:[/] {Markup.Escape(check.Cause)}"));
        }

        if (check.Fix is not null)
        {
            body.Add(new Markup($"[{colour}]fix:[/]   {Markup.Escape(check.Fix)}"));
        }

        var shown = verbose ? check.Details : check.Details.Where(d => d.Key == "note" || check.Verdict == CheckVerdict.Fail);
        body.AddRange(shown.Select(d => new Markup($"[grey]{Markup.Escape(d.Key)}: {Markup.Escape(d.Value)}[/]")));
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 2, 0));
        grid.AddColumn(new GridColumn().NoWrap().Width(19).Padding(0, 0, 1, 0));
        grid.AddColumn(new GridColumn().Padding(0, 0, 0, 0));
        grid.AddRow(new Markup($"[{colour} bold]{label}[/]"), new Markup($"[bold]{Markup.Escape(check.Title)}[/]"), new Rows(body));
        console.Write(grid);
    }

    public void Exchange(string line) => console.MarkupLine($"[grey]  {Markup.Escape(line)}[/]");

    public void Footer(DiagnosisReport report)
    {
        var failed = report.Checks.Count(c => c.Verdict == CheckVerdict.Fail);
        var warned = report.Checks.Count(c => c.Verdict == CheckVerdict.Warn);
        console.WriteLine();
        console.MarkupLine(report.Healthy
            ? $"[green bold]Healthy[/]: a Socket.IO client can connect to {Markup.Escape(report.Target)}" + (warned > 0 ? $" ([yellow]{warned} warning{(warned == 1 ? "" : "s")}[/])." : ".")
            : $"[red bold]Not healthy[/]: {failed} check{(failed == 1 ? "" : "s")} failed" + (warned > 0 ? $", {warned} warning{(warned == 1 ? "" : "s")}." : "."));
    }
}
