using System.Text.Json;
using TypedSio.SocketIO;

namespace TypedSio.Client;

public sealed partial class SocketIOSocket
{
    private readonly Dictionary<string, List<Listener>> _listeners = new(StringComparer.Ordinal);
    private readonly List<Action<string, SocketIOArguments>> _anyListeners = [];
    private readonly List<Action<string, IReadOnlyList<object?>>> _anyOutgoingListeners = [];

    /// <summary>Handles an event.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">Receives the event's arguments.</param>
    /// <returns>A subscription; dispose it to remove the handler.</returns>
    public IDisposable On(string eventName, Action<SocketIOArguments> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddListener(eventName, handler, (args, _) =>
        {
            handler(args);
            return null;
        }, once: false);
    }

    /// <summary>Handles an event whose sender may ask for an acknowledgement; answer it with <see cref="SocketIOAck.SendAsync"/>.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">Receives the arguments and the acknowledgement to send (a no-op when none was asked for).</param>
    /// <returns>A subscription; dispose it to remove the handler.</returns>
    public IDisposable On(string eventName, Action<SocketIOArguments, SocketIOAck> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddListener(eventName, handler, (args, ack) =>
        {
            handler(args, ack);
            return null;
        }, once: false);
    }

    /// <summary>Handles an event asynchronously; the result is sent as the acknowledgement's one argument when the server asked for one.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">Receives the arguments and returns the reply.</param>
    /// <returns>A subscription; dispose it to remove the handler.</returns>
    public IDisposable On(string eventName, Func<SocketIOArguments, Task<object?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddListener(eventName, handler, async (args, ack) => await ack.SendAsync(await handler(args)), once: false);
    }

    /// <summary>Handles the next occurrence of an event only.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">Receives the event's arguments.</param>
    /// <returns>A subscription; dispose it to remove the handler before it ran.</returns>
    public IDisposable Once(string eventName, Action<SocketIOArguments> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddListener(eventName, handler, (args, _) =>
        {
            handler(args);
            return null;
        }, once: true);
    }

    /// <summary>Removes every handler of an event.</summary>
    /// <param name="eventName">The event name.</param>
    public void Off(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        lock (_gate)
        {
            _listeners.Remove(eventName);
        }
    }

    /// <summary>Removes one handler of an event (the delegate given to <c>On</c> or <see cref="Once"/>).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="handler">The handler.</param>
    public void Off(string eventName, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        lock (_gate)
        {
            if (_listeners.TryGetValue(eventName, out var list))
            {
                list.RemoveAll(l => Equals(l.Original, handler));
            }
        }
    }

    /// <summary>Handles every incoming event, before the event's own handlers.</summary>
    /// <param name="handler">Receives the event name and its arguments.</param>
    /// <returns>A subscription; dispose it to remove the handler.</returns>
    public IDisposable OnAny(Action<string, SocketIOArguments> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _anyListeners.Add(handler);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _anyListeners.Remove(handler);
            }
        });
    }

    /// <summary>Removes every handler added with <see cref="OnAny"/>.</summary>
    public void OffAny()
    {
        lock (_gate)
        {
            _anyListeners.Clear();
        }
    }

    /// <summary>Removes every handler added with <see cref="OnAnyOutgoing"/>.</summary>
    public void OffAnyOutgoing()
    {
        lock (_gate)
        {
            _anyOutgoingListeners.Clear();
        }
    }

    /// <summary>Observes every outgoing event when it is handed to the transport (not when it is buffered).</summary>
    /// <param name="handler">Receives the event name and its arguments.</param>
    /// <returns>A subscription; dispose it to remove the handler.</returns>
    public IDisposable OnAnyOutgoing(Action<string, IReadOnlyList<object?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _anyOutgoingListeners.Add(handler);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _anyOutgoingListeners.Remove(handler);
            }
        });
    }

    private Subscription AddListener(string eventName, Delegate original, Func<SocketIOArguments, SocketIOAck, Task?> invoke, bool once)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        var listener = new Listener(original, invoke, once);
        lock (_gate)
        {
            if (!_listeners.TryGetValue(eventName, out var list))
            {
                _listeners[eventName] = list = [];
            }

            list.Add(listener);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                if (_listeners.TryGetValue(eventName, out var list))
                {
                    list.Remove(listener);
                }
            }
        });
    }

    private void Dispatch(SocketIOPacket packet)
    {
        var name = packet.EventName ?? string.Empty;
        var args = packet.GetArguments();
        var ack = new SocketIOAck(this, packet.AckId);
        Action<string, SocketIOArguments>[] any;
        Listener[] listeners;
        lock (_gate)
        {
            if (_pid is not null && args.Count > 0 && args.GetJson(args.Count - 1) is { ValueKind: JsonValueKind.String } offset)
            {
                // With connection state recovery on, the server appends the packet's offset as the last argument.
                _lastOffset = offset.GetString();
            }

            any = [.. _anyListeners];
            listeners = _listeners.TryGetValue(name, out var list) ? [.. list] : [];
            list?.RemoveAll(l => l.Once);
        }

        Log.EventReceived(_logger, Namespace, name, packet.AckId);
        foreach (var handler in any)
        {
            try
            {
                handler(name, args);
            }
#pragma warning disable CA1031 // A handler's bug must not take the connection down; it is logged.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, exception);
            }
        }

        foreach (var listener in listeners)
        {
            try
            {
                if (listener.Invoke(args, ack) is { IsCompleted: false } running)
                {
                    _ = running.ContinueWith(
                        t => Log.HandlerFailed(_logger, t.Exception!.InnerException!),
                        CancellationToken.None,
                        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
#pragma warning disable CA1031 // A handler's bug must not take the connection down; it is logged.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, exception);
            }
        }
    }

    private void NotifyOutgoing(string eventName, EmitArgs args, SocketIOPacket packet)
    {
        Action<string, IReadOnlyList<object?>>[] listeners;
        lock (_gate)
        {
            if (_anyOutgoingListeners.Count == 0)
            {
                return;
            }

            listeners = [.. _anyOutgoingListeners];
        }

        object?[]? values = null;
        foreach (var listener in listeners)
        {
            try
            {
                // Values as given when there are any; arguments written by a callback are read back from the packet.
                values ??= args.Values ?? packet.GetArguments().ToValues();
                listener(eventName, values);
            }
#pragma warning disable CA1031 // A handler's bug must not break the emit; it is logged.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, exception);
            }
        }
    }

    private void NotifyOutgoing(List<BufferedEmit> sent)
    {
        foreach (var emit in sent)
        {
            NotifyOutgoing(emit.EventName, emit.Args, emit.Packet);
        }
    }

    private sealed record Listener(Delegate Original, Func<SocketIOArguments, SocketIOAck, Task?> Invoke, bool Once);

    private sealed class Subscription(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
