using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TypedSio;

/// <summary>
/// The Socket.IO server refused to connect the socket to a namespace (a CONNECT_ERROR packet): the namespace does not
/// exist ("Invalid namespace") or a middleware rejected the connection, optionally with data.
/// </summary>
public sealed class NamespaceRefusedException : ConnectErrorException
{
    /// <summary>Creates the exception from a CONNECT_ERROR packet.</summary>
    /// <param name="namespace">The namespace, e.g. <c>/admin</c>.</param>
    /// <param name="serverMessage">The packet's <c>message</c>.</param>
    /// <param name="data">The packet's <c>data</c>, if any (cloned so it outlives the packet's buffer).</param>
    public NamespaceRefusedException(string @namespace, string serverMessage, JsonElement? data = null)
        : base(Describe(
            $"The Socket.IO server refused to connect to namespace '{@namespace}': \"{serverMessage}\".",
            serverMessage == "Invalid namespace"
                ? "no namespace with this name is registered on the server (io.of(...)), or the path or namespace is misspelled."
                : "a middleware (io.use or namespace.use) rejected the connection with next(new Error(...)).",
            "the namespace name, the auth payload the client sends, and the server's middlewares; the error's ServerData carries what the middleware attached."))
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(serverMessage);
        Namespace = @namespace;
        ServerMessage = serverMessage;
        ServerData = data?.Clone();
    }

    /// <summary>The namespace that refused the connection.</summary>
    public string Namespace { get; }

    /// <summary>The message the server sent (the error's <c>message</c>).</summary>
    public string ServerMessage { get; }

    /// <summary>The data the server attached to the error (the error's <c>data</c>), if any.</summary>
    /// <remarks>Not named <c>Data</c>, which <see cref="Exception"/> already uses for its own dictionary.</remarks>
    public JsonElement? ServerData { get; }

    /// <summary>Reads <see cref="ServerData"/> as a typed object.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="typeInfo">The source-generated metadata of <typeparamref name="T"/>.</param>
    /// <returns>The data, or the default of <typeparamref name="T"/> when there is none.</returns>
    public T? GetServerData<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return ServerData is { } data ? data.Deserialize(typeInfo) : default;
    }
}
