namespace Chat.Server;

/// <summary>Who is in which room, by socket id; shared by every hub (a singleton).</summary>
public sealed class ChatRooms
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, string>> _rooms = new(StringComparer.Ordinal);

    /// <summary>Adds a member and returns the room's user names, sorted.</summary>
    public IReadOnlyList<string> Add(string room, string socketId, string user)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                _rooms[room] = members = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            members[socketId] = user;
            return members.Values.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Removes a socket from every room and returns the rooms it was in.</summary>
    public IReadOnlyList<string> RemoveSocket(string socketId)
    {
        lock (_lock)
        {
            var left = new List<string>();
            foreach (var (room, members) in _rooms)
            {
                if (members.Remove(socketId))
                {
                    left.Add(room);
                }
            }

            foreach (var room in left.Where(r => _rooms[r].Count == 0))
            {
                _rooms.Remove(room);
            }

            return left;
        }
    }
}
