using Spectre.Console;
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
        console.MarkupLine($"[{colour} bold]{label}[/]  [bold]{Markup.Escape(check.Title),-19}[/] {Markup.Escape(check.Summary)}");
        if (check.Cause is not null)
        {
            console.MarkupLine($"      [{colour}]cause:[/] {Markup.Escape(check.Cause)}");
        }

        if (check.Fix is not null)
        {
            console.MarkupLine($"      [{colour}]fix:[/]   {Markup.Escape(check.Fix)}");
        }

        var shown = verbose ? check.Details : check.Details.Where(d => d.Key == "note" || check.Verdict == CheckVerdict.Fail);
        foreach (var (name, value) in shown)
        {
            console.MarkupLine($"      [grey]{Markup.Escape(name)}: {Markup.Escape(value)}[/]");
        }
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
