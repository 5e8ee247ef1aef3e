using System.Security.Cryptography.X509Certificates;
using TypedSio.Doctor.Diagnosis;

namespace TypedSio.Doctor.Tests.Support;

/// <summary>Runs the doctor the way the CLI does, and asserts on its verdicts with the whole report in the message.</summary>
internal static class Diagnose
{
    public static Task<DiagnosisReport> RunAsync(
        string url,
        string? nsp = null,
        string? origin = null,
        string? auth = null,
        X509Certificate2? ca = null,
        int heartbeats = 1,
        string? path = null,
        int stepSeconds = 15)
    {
        var options = new DoctorOptions
        {
            Url = url,
            Path = path,
            Namespace = nsp,
            Origin = origin,
            AuthJson = auth,
            CaCertificates = ca is null ? [] : [ca],
            Heartbeats = heartbeats,
            StepTimeout = TimeSpan.FromSeconds(stepSeconds),
        };
        return EndpointDoctor.RunAsync(options);
    }

    /// <summary>Asserts a check's verdict and returns it.</summary>
    public static CheckResult Verdict(this DiagnosisReport report, string id, CheckVerdict expected)
    {
        var check = report[id];
        Assert.True(check is not null, $"no check '{id}' in:\n{Describe(report)}");
        Assert.True(check!.Verdict == expected, $"'{id}' is {check.Verdict}, expected {expected}:\n{Describe(report)}");
        return check;
    }

    /// <summary>Asserts that a text of the check (summary, cause or fix) names the cause.</summary>
    public static void Says(this CheckResult check, string words)
    {
        var text = $"{check.Summary} | {check.Cause} | {check.Fix}";
        Assert.True(text.Contains(words, StringComparison.OrdinalIgnoreCase), $"'{check.Id}' does not say \"{words}\": {text}");
    }

    public static string Describe(DiagnosisReport report) =>
        string.Join("\n", report.Checks.Select(c => $"{c.Verdict,-4} {c.Id}: {c.Summary}" + (c.Cause is null ? "" : $" [cause: {c.Cause}]")));
}
