using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedSio.Server.EngineIO;

namespace TypedSio.Server.SocketIO;

/// <summary>
/// A Socket.IO server over one Engine.IO endpoint: its namespaces (static, or created on demand by a predicate or a
/// regular expression) and its connected clients. Created by <c>MapSocketIO</c>.
/// </summary>
public sealed class SocketIOServer
{
    private readonly ConcurrentDictionary<string, SocketIONamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly List<(Func<string, JsonElement, bool> Match, Action<SocketIONamespace> Configure)> _dynamic = [];
    private readonly ConcurrentDictionary<SocketIOClientConnection, byte> _clients = new();
    private int _stopping;

    internal SocketIOServer(SocketIOServerOptions options, TimeProvider time, SocketIOLog log, SocketIOMetrics metrics)
    {
        Options = options;
        Time = time;
        Log = log;
        Metrics = metrics;
    }

    /// <summary>The options.</summary>
    public SocketIOServerOptions Options { get; }

    /// <summary>The main namespace, <c>/</c>.</summary>
    public SocketIONamespace MainNamespace => Of("/");

    /// <summary>The namespaces that exist (declared, or created by a dynamic rule), by name.</summary>
    public IReadOnlyDictionary<string, SocketIONamespace> Namespaces => _namespaces;

    /// <summary>The Engine.IO server underneath.</summary>
    public EngineIOServer Engine { get; internal set; } = null!;

    internal TimeProvider Time { get; }

    internal SocketIOLog Log { get; }

    internal SocketIOMetrics Metrics { get; }

    /// <summary>Declares (or returns) a namespace.</summary>
    /// <param name="name">The name; a leading <c>/</c> is added when missing.</param>
    /// <param name="configure">Configures it (middlewares, connection handlers), run once when it is created.</param>
    /// <returns>The namespace.</returns>
    public SocketIONamespace Of(string name, Action<SocketIONamespace>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith('/'))
        {
            name = "/" + name;
        }

        var created = false;
        var nsp = _namespaces.GetOrAdd(name, n =>
        {
            created = true;
            return new SocketIONamespace(this, n);
        });
        if (created || configure is not null)
        {
            configure?.Invoke(nsp);
        }

        return nsp;
    }

    /// <summary>Accepts namespaces chosen by a predicate; each accepted name becomes a namespace configured by <paramref name="configure"/>.</summary>
    /// <param name="predicate">Gets the name and the CONNECT auth payload; true accepts.</param>
    /// <param name="configure">Configures each namespace created this way.</param>
    /// <returns>This server.</returns>
    public SocketIOServer Of(Func<string, JsonElement, bool> predicate, Action<SocketIONamespace> configure)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(configure);
        lock (_dynamic)
        {
            _dynamic.Add((predicate, configure));
        }

        return this;
    }

    /// <summary>Accepts namespaces whose name matches a regular expression.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="configure">Configures each namespace created this way.</param>
    /// <returns>This server.</returns>
    public SocketIOServer Of(Regex pattern, Action<SocketIONamespace> configure)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Of((name, _) => pattern.IsMatch(name), configure);
    }

    /// <summary>Finds an existing namespace.</summary>
    /// <param name="name">The name.</param>
    /// <param name="nsp">The namespace.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGetNamespace(string name, [MaybeNullWhen(false)] out SocketIONamespace nsp) => _namespaces.TryGetValue(name, out nsp);

    internal ValueTask<SocketIONamespace?> ResolveNamespaceAsync(string name, JsonElement auth)
    {
        if (_namespaces.TryGetValue(name, out var existing))
        {
            return ValueTask.FromResult<SocketIONamespace?>(existing);
        }

        (Func<string, JsonElement, bool> Match, Action<SocketIONamespace> Configure)[] rules;
        lock (_dynamic)
        {
            rules = [.. _dynamic];
        }

        foreach (var (match, configure) in rules)
        {
            if (match(name, auth))
            {
                return ValueTask.FromResult<SocketIONamespace?>(Of(name, configure));
            }
        }

        return ValueTask.FromResult<SocketIONamespace?>(null);
    }

    internal Task HandleConnectionAsync(IEngineIOConnection connection) => new SocketIOClientConnection(this, connection).RunAsync();

    internal void Register(SocketIOClientConnection client) => _clients.TryAdd(client, 0);

    /// <summary>Engine.IO connections the Socket.IO layer has taken on (for tests).</summary>
    internal int ClientCount => _clients.Count;

    internal void Unregister(SocketIOClientConnection client) => _clients.TryRemove(client, out _);

    // The host is stopping: sockets leave with "server shutting down" before the engine closes the connections.
    internal async Task OnStoppingAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        foreach (var client in _clients.Keys.ToList())
        {
            await client.CloseSocketsAsync(SocketIODisconnectReason.ServerShuttingDown).ConfigureAwait(false);
        }
    }
}
