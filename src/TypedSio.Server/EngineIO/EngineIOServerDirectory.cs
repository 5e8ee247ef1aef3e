namespace TypedSio.Server.EngineIO;

/// <summary>The Engine.IO servers mapped in an application, by path, for the connection-level WebSocket path.</summary>
internal sealed class EngineIOServerDirectory
{
    private volatile (string Prefix, EngineIOServer Server)[] _servers = [];
    private readonly object _gate = new();

    public void Add(string path, EngineIOServer server)
    {
        lock (_gate)
        {
            _servers = [.. _servers, ("/" + path.Trim('/'), server)];
        }
    }

    /// <summary>The server whose path holds a request path (as the endpoint's route matches it: ignoring case).</summary>
    public EngineIOServer? Find(string path)
    {
        foreach (var (prefix, server) in _servers)
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (path.Length == prefix.Length || path[prefix.Length] == '/' || prefix.Length == 1))
            {
                return server;
            }
        }

        return null;
    }
}
