namespace TypedSio.Hubs;

/// <summary>
/// Where generated code registers, at module load, how to build proxies and binders for each contract interface it saw
/// used in the compiling project. <see cref="SocketContractExtensions"/> looks them up. Entries are kept per contract
/// type in generic static fields: no reflection, no type dictionary.
/// </summary>
public static class SocketContractRegistry
{
    /// <summary>Registers the factory of a contract's proxy over one peer (called by generated code).</summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <param name="factory">Builds a proxy from the emitter and the default acknowledgement timeout.</param>
    public static void AddProxy<TContract>(Func<ISocketIOEmitter, TimeSpan?, TContract> factory)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        Interlocked.CompareExchange(ref Entry<TContract>.Proxy, factory, null);
    }

    /// <summary>Registers the factory of a contract's broadcast proxy (called by generated code).</summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <param name="factory">Builds a proxy from the broadcast emitter and, when acknowledgements are collected, their scope.</param>
    public static void AddBroadcastProxy<TContract>(Func<IBroadcastEmitter, SocketBroadcastAcks?, TContract> factory)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        Interlocked.CompareExchange(ref Entry<TContract>.BroadcastProxy, factory, null);
    }

    /// <summary>Registers the binder of a contract's receivers (called by generated code).</summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <param name="binder">Registers a receiver's methods as event handlers.</param>
    public static void AddBinder<TContract>(Func<ISocketIOEventRegistry, TContract, IDisposable> binder)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(binder);
        Interlocked.CompareExchange(ref Entry<TContract>.Binder, binder, null);
    }

    /// <summary>Builds a proxy that emits each call of <typeparamref name="TContract"/> to one peer.</summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <param name="emitter">The peer.</param>
    /// <param name="ackTimeout">How long calls returning a result wait for it, or null for the emitter's default.</param>
    /// <returns>The proxy.</returns>
    /// <exception cref="InvalidOperationException">No generated proxy was registered for the contract.</exception>
    public static TContract CreateProxy<TContract>(ISocketIOEmitter emitter, TimeSpan? ackTimeout = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(emitter);
        return (Entry<TContract>.Proxy ?? throw Missing<TContract>("a proxy", "CreateProxy"))(emitter, ackTimeout);
    }

    /// <summary>Builds a proxy that emits each call of <typeparamref name="TContract"/> to many sockets.</summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <param name="emitter">The recipients.</param>
    /// <param name="acks">The acknowledgement scope when results are collected, otherwise null.</param>
    /// <returns>The proxy.</returns>
    /// <exception cref="InvalidOperationException">No generated broadcast proxy was registered for the contract.</exception>
    public static TContract CreateBroadcastProxy<TContract>(IBroadcastEmitter emitter, SocketBroadcastAcks? acks = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(emitter);
        return (Entry<TContract>.BroadcastProxy ?? throw Missing<TContract>("a broadcast proxy", "a hub's SocketHub<T>"))(emitter, acks);
    }

    /// <summary>Registers the methods of <paramref name="receiver"/> as handlers of the contract's events.</summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <param name="registry">Where handlers go.</param>
    /// <param name="receiver">The object whose methods handle the events.</param>
    /// <returns>The subscriptions; disposing them removes every handler.</returns>
    /// <exception cref="InvalidOperationException">No generated binder was registered for the contract.</exception>
    public static IDisposable Bind<TContract>(ISocketIOEventRegistry registry, TContract receiver)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(receiver);
        return (Entry<TContract>.Binder ?? throw Missing<TContract>("a binder", "Register"))(registry, receiver);
    }

    private static InvalidOperationException Missing<TContract>(string what, string call) =>
        new($"No generated code provides {what} for {typeof(TContract)}. The TypedSio generator emits it when the project " +
            $"calls {call}<{typeof(TContract).Name}>() with the contract type written out, and reports TSIO diagnostics when the contract is invalid.");

    private static class Entry<TContract>
        where TContract : class
    {
        public static Func<ISocketIOEmitter, TimeSpan?, TContract>? Proxy;
        public static Func<IBroadcastEmitter, SocketBroadcastAcks?, TContract>? BroadcastProxy;
        public static Func<ISocketIOEventRegistry, TContract, IDisposable>? Binder;
    }
}

/// <summary>The typed entry points: proxies that emit a contract's events, binders that handle them.</summary>
public static class SocketContractExtensions
{
    /// <summary>
    /// Creates a proxy whose methods emit the events of <typeparamref name="TContract"/> to the peer; methods returning
    /// <c>Task&lt;T&gt;</c> wait for the acknowledgement and deserialize it. The TypedSio generator sees this call and
    /// emits the proxy.
    /// </summary>
    /// <typeparam name="TContract">The contract interface (events this side sends).</typeparam>
    /// <param name="emitter">The socket.</param>
    /// <param name="ackTimeout">How long calls returning a result wait for it, or null for the socket's default.</param>
    /// <returns>The proxy.</returns>
    public static TContract CreateProxy<TContract>(this ISocketIOEmitter emitter, TimeSpan? ackTimeout = null)
        where TContract : class =>
        SocketContractRegistry.CreateProxy<TContract>(emitter, ackTimeout);

    /// <summary>
    /// Registers the methods of <paramref name="receiver"/> as the handlers of the events of <typeparamref name="TContract"/>;
    /// methods returning <c>Task&lt;T&gt;</c> answer the sender's acknowledgement. The TypedSio generator sees this call
    /// and emits the binder.
    /// </summary>
    /// <typeparam name="TContract">The contract interface (events this side receives).</typeparam>
    /// <param name="registry">The socket.</param>
    /// <param name="receiver">The handler object.</param>
    /// <returns>The subscriptions; disposing them removes every handler.</returns>
    public static IDisposable Register<TContract>(this ISocketIOEventRegistry registry, TContract receiver)
        where TContract : class =>
        SocketContractRegistry.Bind(registry, receiver);
}
