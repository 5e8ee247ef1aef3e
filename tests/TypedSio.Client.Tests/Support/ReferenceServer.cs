using System.Text.Json;
using TypedSio.Testing;

namespace TypedSio.Client.Tests.Support;

/// <summary>The official engine.io server (tests/js/client-reference-server.mjs) on a free loopback port.</summary>
public sealed class ReferenceServer : IAsyncDisposable
{
    private ReferenceServer(NodeProcess node, int port)
    {
        Node = node;
        Port = port;
    }

    public NodeProcess Node { get; }

    public int Port { get; }

    public Uri Uri => new($"http://127.0.0.1:{Port}");

    public static async Task<ReferenceServer> StartAsync(Dictionary<string, object?>? options = null, int? port = null)
    {
        var chosen = port ?? FreePort.Next();
        var json = JsonSerializer.Serialize(options ?? new Dictionary<string, object?>());
        var node = await NodeProcess.StartAsync("client-reference-server.mjs", [chosen.ToString(System.Globalization.CultureInfo.InvariantCulture), json]);
        return new ReferenceServer(node, chosen);
    }

    /// <summary>Options for a client of this server, with the given transports.</summary>
    public EngineIOClientOptions ClientOptions(params EngineIOTransportKind[] transports)
    {
        var options = new EngineIOClientOptions(Uri) { Path = "/engine.io/", ConnectTimeout = TimeSpan.FromSeconds(20) };
        if (transports.Length > 0)
        {
            options.Transports.Clear();
            foreach (var transport in transports)
            {
                options.Transports.Add(transport);
            }
        }

        return options;
    }

    public Task<string> WaitForLineAsync(string prefix) =>
        Node.WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(20));

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
