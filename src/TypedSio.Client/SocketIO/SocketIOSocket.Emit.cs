using System.Text.Json.Serialization.Metadata;
using TypedSio.SocketIO;

namespace TypedSio.Client;

public sealed partial class SocketIOSocket
{
    private static readonly HashSet<string> ReservedEvents = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    private readonly List<BufferedEmit> _sendBuffer = [];

    /// <summary>
    /// Emits an event. Values may be null, strings, numbers, booleans, binary (<c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/>,
    /// anywhere inside lists and dictionaries), JSON elements or nodes, or types the manager's serializer options know.
    /// While disconnected the emit is buffered and sent on connect (see <see cref="SocketIOSocketOptions.MaxBufferedPackets"/>).
    /// With <see cref="SocketIOSocketOptions.Retries"/> set, the emit joins the at-least-once queue instead.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments.</param>
    /// <returns>
    /// A task that completes once the packet was handed to the transport, or buffered. A connection lost meanwhile is
    /// reported by <see cref="Disconnected"/>, not here: delivery is at most once unless retries are configured.
    /// </returns>
    /// <exception cref="SocketIOBufferFullException">Disconnected, and the buffer is full.</exception>
    public Task EmitAsync(string eventName, params object?[] args)
    {
        CheckEventName(eventName);
        args ??= [null];
        if (_options.Retries > 0)
        {
            ObserveReliable(eventName, EnqueueReliable(eventName, new EmitArgs(args, null), null));
            return Task.CompletedTask;
        }

        var emit = new EmitArgs(args, null);
        return SendOrBuffer(CreatePacket(eventName, emit, null), eventName, emit, isVolatile: false) is { IsCompletedSuccessfully: false } write
            ? IgnoreFailureAsync(write)
            : Task.CompletedTask;
    }

    /// <summary>Emits an event only if the socket is connected; otherwise drops it (for data that is stale by the time a connection returns).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments (as for <see cref="EmitAsync(string, object?[])"/>).</param>
    /// <returns>True when the packet was handed to the transport; false when it was dropped.</returns>
    public async Task<bool> EmitVolatileAsync(string eventName, params object?[] args)
    {
        CheckEventName(eventName);
        args ??= [null];
        var emit = new EmitArgs(args, null);
        if (SendOrBuffer(CreatePacket(eventName, emit, null), eventName, emit, isVolatile: true) is not { } write)
        {
            return false;
        }

        try
        {
            await write;
            return true;
        }
#pragma warning disable CA1031 // The connection broke while writing; Disconnected reports it, the caller learns the packet did not go out.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>
    /// Emits an event and waits for the server's acknowledgement, within <see cref="SocketIOSocketOptions.AckTimeout"/>
    /// when set.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments (as for <see cref="EmitAsync(string, object?[])"/>).</param>
    /// <returns>The acknowledgement's arguments.</returns>
    /// <exception cref="SocketIOAckTimeoutException">No acknowledgement in time.</exception>
    /// <exception cref="SocketIODisconnectedException">The socket disconnected first (without retries).</exception>
    public Task<SocketIOArguments> EmitWithAckAsync(string eventName, params object?[] args) =>
        EmitWithAckAsync(eventName, args, null, CancellationToken.None);

    /// <summary>Emits an event and waits for the server's acknowledgement, at most <paramref name="timeout"/>.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments (as for <see cref="EmitAsync(string, object?[])"/>).</param>
    /// <param name="timeout">How long to wait for each try; null for <see cref="SocketIOSocketOptions.AckTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be delivered.</param>
    /// <returns>The acknowledgement's arguments.</returns>
    /// <exception cref="SocketIOAckTimeoutException">No acknowledgement in time.</exception>
    /// <exception cref="SocketIODisconnectedException">The socket disconnected first (without retries).</exception>
    public async Task<SocketIOArguments> EmitWithAckAsync(string eventName, object?[] args, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        CheckEventName(eventName);
        return await EmitWithAckCoreAsync(eventName, new EmitArgs(args ?? [null], null), timeout, cancellationToken);
    }

    /// <summary>
    /// Emits an event whose arguments are written by a callback, e.g. through source-generated metadata
    /// (<see cref="SocketIOPayloadWriter.WriteValue{T}(T, JsonTypeInfo{T})"/>), without reflection. Buffered, retried
    /// and reported as <see cref="EmitAsync(string, object?[])"/>.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="writeArguments">Writes each argument once per call (it may be called again to build a retry).</param>
    /// <returns>As <see cref="EmitAsync(string, object?[])"/>.</returns>
    public Task EmitAsync(string eventName, Action<SocketIOPayloadWriter> writeArguments)
    {
        CheckEventName(eventName);
        ArgumentNullException.ThrowIfNull(writeArguments);
        var emit = new EmitArgs(null, writeArguments);
        if (_options.Retries > 0)
        {
            ObserveReliable(eventName, EnqueueReliable(eventName, emit, null));
            return Task.CompletedTask;
        }

        return SendOrBuffer(CreatePacket(eventName, emit, null), eventName, emit, isVolatile: false) is { IsCompletedSuccessfully: false } write
            ? IgnoreFailureAsync(write)
            : Task.CompletedTask;
    }

    /// <summary>Emits an event whose arguments are written by a callback, and waits for the acknowledgement.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="writeArguments">Writes each argument (see <see cref="EmitAsync(string, Action{SocketIOPayloadWriter})"/>).</param>
    /// <param name="timeout">How long to wait for each try; null for <see cref="SocketIOSocketOptions.AckTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be delivered.</param>
    /// <returns>The acknowledgement's arguments.</returns>
    public Task<SocketIOArguments> EmitWithAckAsync(
        string eventName, Action<SocketIOPayloadWriter> writeArguments, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        CheckEventName(eventName);
        ArgumentNullException.ThrowIfNull(writeArguments);
        return EmitWithAckCoreAsync(eventName, new EmitArgs(null, writeArguments), timeout, cancellationToken);
    }

    private async Task<SocketIOArguments> EmitWithAckCoreAsync(string eventName, EmitArgs args, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var effective = timeout ?? _options.AckTimeout;
        var reply = _options.Retries > 0
            ? await EnqueueReliable(eventName, args, effective).WaitAsync(cancellationToken)
            : await SendWithAckAsync(eventName, args, effective, cancellationToken);
        return reply.GetArguments();
    }

    private SocketIOPacket CreatePacket(string eventName, EmitArgs args, long? ackId)
    {
        if (args.Values is { } values)
        {
            return SocketIOPacket.CreateEvent(eventName, values, Namespace, ackId, _manager.Options.SerializerOptions);
        }

        if (args.Template is { } template)
        {
            return new SocketIOPacket(SocketIOPacketType.Event, Namespace, template.Payload, ackId, template.Attachments);
        }

        var writer = new SocketIOPayloadWriter(_manager.Options.SerializerOptions);
        writer.WriteStartArray();
        writer.WriteValue(eventName);
        args.Writer!(writer);
        writer.WriteEndArray();
        return writer.ToPacket(SocketIOPacketType.Event, Namespace, ackId);
    }

    /// <summary>Emits an event and reads the acknowledgement's first argument as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type of the reply.</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="resultType">The reply type's metadata (binary inside it needs <see cref="SocketIOBinaryConverter"/>).</param>
    /// <param name="args">The arguments (as for <see cref="EmitAsync(string, object?[])"/>).</param>
    /// <returns>The reply, or the default of <typeparamref name="T"/> when the acknowledgement carried no argument.</returns>
    public Task<T?> EmitWithAckAsync<T>(string eventName, JsonTypeInfo<T> resultType, params object?[] args) =>
        EmitWithAckAsync(eventName, resultType, args, null, CancellationToken.None);

    /// <summary>Emits an event and reads the acknowledgement's first argument as <typeparamref name="T"/>, at most <paramref name="timeout"/>.</summary>
    /// <typeparam name="T">The type of the reply.</typeparam>
    /// <param name="eventName">The event name.</param>
    /// <param name="resultType">The reply type's metadata.</param>
    /// <param name="args">The arguments (as for <see cref="EmitAsync(string, object?[])"/>).</param>
    /// <param name="timeout">How long to wait for each try; null for <see cref="SocketIOSocketOptions.AckTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be delivered.</param>
    /// <returns>The reply, or the default of <typeparamref name="T"/> when the acknowledgement carried no argument.</returns>
    public async Task<T?> EmitWithAckAsync<T>(
        string eventName, JsonTypeInfo<T> resultType, object?[] args, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resultType);
        var reply = await EmitWithAckAsync(eventName, args, timeout, cancellationToken);
        return reply.Count > 0 ? reply.Get(0, resultType) : default;
    }

    /// <summary>Sends now when connected; else drops a volatile packet or buffers it.</summary>
    /// <returns>The write, a completed task when buffered, or null when dropped.</returns>
    private Task? SendOrBuffer(SocketIOPacket packet, string eventName, EmitArgs args, bool isVolatile)
    {
        Task? write = null;
        lock (_gate)
        {
            if (_connected)
            {
                write = _manager.TryWritePacket(packet);
            }

            if (write is null)
            {
                if (isVolatile)
                {
                    Log.VolatileDropped(_logger, Namespace, eventName);
                    return null;
                }

                if (_sendBuffer.Count >= _options.MaxBufferedPackets)
                {
                    throw new SocketIOBufferFullException(eventName, _options.MaxBufferedPackets);
                }

                _sendBuffer.Add(new BufferedEmit(packet, eventName, args));
                Log.Buffered(_logger, Namespace, eventName, _sendBuffer.Count);
                return Task.CompletedTask;
            }
        }

        NotifyOutgoing(eventName, args, packet);
        return write;
    }

    // Callers hold _gate. Writes under the lock so that nothing emitted meanwhile overtakes the buffer.
    private List<BufferedEmit> FlushSendBuffer()
    {
        var sent = new List<BufferedEmit>(_sendBuffer.Count);
        while (_sendBuffer.Count > 0)
        {
            var next = _sendBuffer[0];
            if (_manager.TryWritePacket(next.Packet) is not { } write)
            {
                break;
            }

            _ = IgnoreFailureAsync(write);
            _sendBuffer.RemoveAt(0);
            sent.Add(next);
        }

        return sent;
    }

    private static void CheckEventName(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (ReservedEvents.Contains(eventName))
        {
            throw new ArgumentException($"'{eventName}' is a reserved event name.", nameof(eventName));
        }
    }

    private void ObserveReliable(string eventName, Task reliable) =>
        _ = reliable.ContinueWith(
            t => Log.ReliableEmitFailed(_logger, eventName, t.Exception!.InnerException!),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private sealed record BufferedEmit(SocketIOPacket Packet, string EventName, EmitArgs Args);

    /// <summary>An emit's arguments: .NET values, or a callback that writes them.</summary>
    private readonly record struct EmitArgs(object?[]? Values, Action<SocketIOPayloadWriter>? Writer, SocketIOPacket? Template = null);
}
