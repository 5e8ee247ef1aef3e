using System.Security.Cryptography.X509Certificates;

namespace TypedSio.Doctor.Diagnosis;

/// <summary>What to diagnose and how.</summary>
internal sealed class DoctorOptions
{
    /// <summary>The endpoint as the user typed it, e.g. <c>https://example.com</c> or <c>localhost:3000/admin</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The Engine.IO path; null for the default <c>/socket.io/</c>.</summary>
    public string? Path { get; init; }

    /// <summary>The namespace to connect to; null takes it from the URL's path, as <c>io(url)</c> does, else <c>/</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The Socket.IO CONNECT auth payload as JSON (an object), or null for none.</summary>
    public string? AuthJson { get; init; }

    /// <summary>A browser page's origin to check CORS for, or null to skip the CORS check.</summary>
    public string? Origin { get; init; }

    /// <summary>Extra CA certificates to trust (from <c>--ca</c>); validation stays on.</summary>
    public X509Certificate2Collection CaCertificates { get; init; } = [];

    /// <summary>How long one network step may take.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many server pings to wait for in the heartbeat check; 0 skips it.</summary>
    public int Heartbeats { get; init; } = 2;
}
