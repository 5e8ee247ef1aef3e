namespace TypedSio.Server.SocketIO;

public sealed partial class SocketIOSocket
{
    /// <summary>
    /// A socket's event handlers by name: an immutable array replaced on every change (handlers are registered once per
    /// connection and read on every event). Every connection holds one, so it is kept small: a handful of events cost a
    /// few hundred bytes where immutable dictionaries of lists cost over twice that; a linear scan of a few names is as
    /// fast as hashing, and many names get an index.
    /// </summary>
    private sealed class EventHandlerMap
    {
        private const int IndexedFrom = 9;
        private readonly (string Name, Func<SocketIOEventContext, Task>[] Handlers)[] _entries;
        private readonly Dictionary<string, int>? _index;

        private EventHandlerMap((string Name, Func<SocketIOEventContext, Task>[] Handlers)[] entries)
        {
            _entries = entries;
            if (entries.Length >= IndexedFrom)
            {
                _index = new Dictionary<string, int>(entries.Length, StringComparer.Ordinal);
                for (var i = 0; i < entries.Length; i++)
                {
                    _index[entries[i].Name] = i;
                }
            }
        }

        public static EventHandlerMap Empty { get; } = new([]);

        /// <summary>The handlers of an event in registration order, or null.</summary>
        public Func<SocketIOEventContext, Task>[]? Find(string name)
        {
            if (_index is not null)
            {
                return _index.TryGetValue(name, out var at) ? _entries[at].Handlers : null;
            }

            foreach (var (entryName, handlers) in _entries)
            {
                if (string.Equals(entryName, name, StringComparison.Ordinal))
                {
                    return handlers;
                }
            }

            return null;
        }

        public EventHandlerMap Add(string name, Func<SocketIOEventContext, Task> handler)
        {
            var at = IndexOf(name);
            if (at < 0)
            {
                return new([.. _entries, (name, [handler])]);
            }

            var entries = _entries.ToArray();
            entries[at].Handlers = [.. entries[at].Handlers, handler];
            return new(entries);
        }

        public EventHandlerMap Remove(string name, Func<SocketIOEventContext, Task> handler)
        {
            var at = IndexOf(name);
            if (at < 0 || Array.IndexOf(_entries[at].Handlers, handler) is var position && position < 0)
            {
                return this;
            }

            var remaining = _entries[at].Handlers.Where((_, i) => i != position).ToArray();
            return remaining.Length == 0
                ? new([.. _entries.Where((_, i) => i != at)])
                : new(_entries.Select((e, i) => i == at ? (e.Name, remaining) : e).ToArray());
        }

        private int IndexOf(string name)
        {
            for (var i = 0; i < _entries.Length; i++)
            {
                if (string.Equals(_entries[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
