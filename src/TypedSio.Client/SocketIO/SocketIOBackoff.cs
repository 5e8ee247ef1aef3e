namespace TypedSio.Client;

/// <summary>
/// Exponential backoff with jitter: the n-th delay is <c>min × 2^n</c>, moved up or down by a random fraction up to the
/// jitter, and capped at <c>max</c>. Not thread-safe: the manager calls it under its lock.
/// </summary>
internal sealed class SocketIOBackoff(TimeSpan min, TimeSpan max, double jitter, Func<double> random)
{
    private const double Factor = 2;

    /// <summary>How many delays were handed out since the last reset.</summary>
    public int Attempts { get; private set; }

    /// <summary>The next delay; counts one attempt.</summary>
    public TimeSpan Next()
    {
        // Far into an endless loop 2^n overflows; keep it finite so that the jitter cannot turn it into NaN.
        var ms = Math.Min(min.TotalMilliseconds * Math.Pow(Factor, Attempts++), double.MaxValue / 4);
        if (jitter > 0)
        {
            var sample = random();
            var deviation = Math.Floor(sample * jitter * ms);

            // One random sample decides both the size and the direction, so the schedule is reproducible from it alone.
            ms = ((long)Math.Floor(sample * 10) & 1) == 0 ? ms - deviation : ms + deviation;
        }

        return TimeSpan.FromMilliseconds(Math.Floor(Math.Min(ms, max.TotalMilliseconds)));
    }

    /// <summary>Starts over from the first delay.</summary>
    public void Reset() => Attempts = 0;
}
