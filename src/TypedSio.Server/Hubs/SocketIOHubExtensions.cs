using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using TypedSio.Hubs;
using TypedSio.Server.SocketIO;

namespace TypedSio.Server.Hubs;

/// <summary>Hosts typed hubs on a Socket.IO endpoint.</summary>
public static class SocketIOHubExtensions
{
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    /// <summary>
    /// Serves a hub on a namespace: for every connected socket, a new hub is created in its own DI scope (constructor
    /// parameters come from DI; a <see cref="SocketIOSocket"/> parameter receives the socket), attached to the socket's
    /// targets, its events registered, then <see cref="ISocketHub.OnConnectedAsync"/> runs. When the socket leaves,
    /// <see cref="ISocketHub.OnDisconnectedAsync"/> runs and the scope is disposed.
    /// </summary>
    /// <typeparam name="THub">The hub, usually a <c>partial</c> class deriving from <see cref="SocketHub{TClient}"/>.</typeparam>
    /// <param name="builder">The Socket.IO endpoint.</param>
    /// <param name="nsp">The namespace, e.g. <c>/chat</c>.</param>
    /// <param name="configure">Further configuration of the namespace (middlewares…).</param>
    /// <returns>The endpoint builder.</returns>
    public static SocketIOEndpointBuilder MapHub<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THub>(this SocketIOEndpointBuilder builder, string nsp, Action<SocketIONamespace>? configure = null)
        where THub : class, ISocketHub
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.Of(nsp, n =>
        {
            configure?.Invoke(n);
            n.OnConnection(socket => ServeAsync<THub>(services, socket));
        });
        return builder;
    }

    private static async Task ServeAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THub>(IServiceProvider services, SocketIOSocket socket)
        where THub : class, ISocketHub
    {
        var scope = services.CreateAsyncScope();
        THub hub;
        try
        {
            hub = Create<THub>(scope.ServiceProvider, socket);
        }
        catch
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        hub.Attach(new SocketIOHubTargets(socket));
        var subscriptions = ((ISocketIOEventRegistry)socket).RegisterHub(hub);
        socket.Disconnected += (_, e) => socket.Observe(OnDisconnectedAsync(hub, subscriptions, scope, e.Description));
        await hub.OnConnectedAsync(socket.DisconnectedToken).ConfigureAwait(false);
    }

    private static async Task OnDisconnectedAsync(ISocketHub hub, IDisposable subscriptions, AsyncServiceScope scope, string reason)
    {
        subscriptions.Dispose();
        try
        {
            await hub.OnDisconnectedAsync(reason).ConfigureAwait(false);
        }
        finally
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static THub Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THub>(IServiceProvider services, SocketIOSocket socket)
        where THub : class
    {
        var takesSocket = typeof(THub).GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(SocketIOSocket)));
        var factory = Factories.GetOrAdd(typeof(THub), _ => ActivatorUtilities.CreateFactory(typeof(THub), takesSocket ? [typeof(SocketIOSocket)] : []));
        return (THub)factory(services, takesSocket ? [socket] : []);
    }
}
