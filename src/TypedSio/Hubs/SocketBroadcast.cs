namespace TypedSio.Hubs;

/// <summary>
/// Marks members that return a proxy reaching many sockets. The TypedSio analyzer reports TSIO009 when a contract method
/// that expects an acknowledgement is called directly on such a proxy: use
/// <see cref="SocketBroadcastExtensions.InvokeWithAcksAsync"/> with a timeout instead.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class SocketBroadcastTargetAttribute : Attribute;

/// <summary>
/// The acknowledgements of one broadcast call: the timeout to wait for them and, once the call returns, one result per
/// recipient that replied in time. Generated broadcast proxies fill it.
/// </summary>
public sealed class SocketBroadcastAcks
{
    private object? _results;

    /// <summary>Starts collecting.</summary>
    /// <param name="timeout">How long to wait for the replies.</param>
    public SocketBroadcastAcks(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
    }

    /// <summary>How long to wait for the replies.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Stores the replies (called by generated code).</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="results">One result per recipient that replied.</param>
    public void SetResults<TResult>(IReadOnlyList<TResult> results) => _results = results;

    /// <summary>The replies stored by the call.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <returns>The results; empty when the call stored none.</returns>
    public IReadOnlyList<TResult> GetResults<TResult>() => _results as IReadOnlyList<TResult> ?? [];
}

/// <summary>Calls that collect one acknowledgement per recipient of a broadcast.</summary>
public static class SocketBroadcastExtensions
{
    /// <summary>
    /// Calls a contract method that expects an acknowledgement on a broadcast proxy (such as <c>Clients.All</c>) and
    /// returns every reply received before the timeout, e.g.
    /// <c>await Clients.All.InvokeWithAcksAsync(c =&gt; c.Confirm("ready?"), TimeSpan.FromSeconds(5))</c>.
    /// </summary>
    /// <typeparam name="TContract">The contract interface.</typeparam>
    /// <typeparam name="TResult">The acknowledgement's type.</typeparam>
    /// <param name="target">A broadcast proxy from <see cref="SocketHubClients{TClient}"/>.</param>
    /// <param name="call">The call, made on a proxy that waits for the replies.</param>
    /// <param name="timeout">How long to wait for the replies.</param>
    /// <returns>One result per recipient that replied in time.</returns>
    public static async Task<IReadOnlyList<TResult>> InvokeWithAcksAsync<TContract, TResult>(
        this TContract target, Func<TContract, Task<TResult>> call, TimeSpan timeout)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(call);
        if (target is not ISocketBroadcastProxy broadcast)
        {
            throw new ArgumentException("Acknowledgements are collected from broadcast proxies such as Clients.All or Clients.Room(name).", nameof(target));
        }

        var acks = new SocketBroadcastAcks(timeout);
        await call(SocketContractRegistry.CreateBroadcastProxy<TContract>(broadcast.Emitter, acks)).ConfigureAwait(false);
        return acks.GetResults<TResult>();
    }
}

/// <summary>Implemented by generated broadcast proxies: exposes the emitter they send through.</summary>
public interface ISocketBroadcastProxy
{
    /// <summary>The recipients.</summary>
    IBroadcastEmitter Emitter { get; }
}
