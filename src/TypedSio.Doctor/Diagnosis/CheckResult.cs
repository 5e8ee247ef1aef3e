namespace TypedSio.Doctor.Diagnosis;

/// <summary>How one check came out.</summary>
internal enum CheckVerdict
{
    /// <summary>Works.</summary>
    Pass,

    /// <summary>Works for some clients only, or something looks risky.</summary>
    Warn,

    /// <summary>Broken: clients will not connect this way.</summary>
    Fail,

    /// <summary>Not run, because an earlier check failed or an option was not given.</summary>
    Skip,
}

/// <summary>One line of the diagnosis: a verdict and, when it fails, the likely cause and the fix.</summary>
/// <param name="Id">A stable identifier for scripts (<c>dns</c>, <c>tcp</c>, <c>tls</c>, …).</param>
/// <param name="Title">A short name for people.</param>
/// <param name="Verdict">The verdict.</param>
/// <param name="Summary">What was observed.</param>
internal sealed record CheckResult(string Id, string Title, CheckVerdict Verdict, string Summary)
{
    /// <summary>The likely cause, when the check did not pass.</summary>
    public string? Cause { get; init; }

    /// <summary>What to do about it.</summary>
    public string? Fix { get; init; }

    /// <summary>Facts gathered by the check (handshake fields, certificate, headers), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Details { get; init; } = [];

    /// <summary>Looks up a detail by name.</summary>
    public string? Detail(string name) => Details.FirstOrDefault(d => d.Key == name).Value;
}

/// <summary>Every check's result, in the order they ran.</summary>
/// <param name="Target">The endpoint diagnosed, as a URL.</param>
/// <param name="Checks">The results.</param>
/// <param name="Exchange">The requests, responses and engine log lines, in order.</param>
internal sealed record DiagnosisReport(string Target, IReadOnlyList<CheckResult> Checks, IReadOnlyList<string> Exchange)
{
    /// <summary>Whether no check failed: a client with the default options (or the advised ones, for warnings) can connect.</summary>
    public bool Healthy => Checks.All(c => c.Verdict != CheckVerdict.Fail);

    /// <summary>The result of the check with that id, or null when it did not run.</summary>
    public CheckResult? this[string id] => Checks.FirstOrDefault(c => c.Id == id);
}
