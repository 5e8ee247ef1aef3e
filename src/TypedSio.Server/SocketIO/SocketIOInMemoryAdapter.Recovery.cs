using System.Security.Cryptography;
using System.Text;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

public partial class SocketIOInMemoryAdapter
{
    private readonly SocketIOConnectionStateRecovery? _recovery;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (SocketIOSession Session, DateTimeOffset At)> _sessions = new(StringComparer.Ordinal);
    private readonly List<StoredPacket> _packets = [];
    private long _offsetCounter;

    /// <inheritdoc />
    public override ValueTask PersistSessionAsync(SocketIOSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_recovery is null)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            _sessions[session.Pid] = (session, _time.GetUtcNow());
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<SocketIORestoredSession?> RestoreSessionAsync(string pid, string offset)
    {
        if (_recovery is null)
        {
            return ValueTask.FromResult<SocketIORestoredSession?>(null);
        }

        lock (_gate)
        {
            Expire();
            if (!_sessions.Remove(pid, out var kept))
            {
                return ValueTask.FromResult<SocketIORestoredSession?>(null);
            }

            var index = _packets.FindIndex(p => p.Offset == offset);
            if (index < 0)
            {
                return ValueTask.FromResult<SocketIORestoredSession?>(null);
            }

            var rooms = kept.Session.Rooms;
            var missed = _packets.Skip(index + 1)
                .Where(p => (p.Options.Rooms.Count == 0 || rooms.Any(p.Options.Rooms.Contains)) && !rooms.Any(p.Options.Except.Contains))
                .Select(p => p.Packet)
                .ToList();
            return ValueTask.FromResult<SocketIORestoredSession?>(new SocketIORestoredSession(kept.Session, missed));
        }
    }

    // Like the reference, every non-volatile broadcast event without an ack gets an offset as its last argument so the
    // client can say where it stopped; the packets are kept for the longest disconnection that can be recovered.
    private SocketIOPacket StoreForRecovery(SocketIOPacket packet, SocketIOBroadcastOptions options)
    {
        if (_recovery is null || !packet.IsEvent || packet.AckId is not null || options.Flags.HasFlag(SocketIOBroadcastFlags.Volatile))
        {
            return packet;
        }

        var offset = NewOffset();
        var payload = packet.Payload.Span;
        var suffix = Encoding.UTF8.GetBytes(",\"" + offset + "\"]");
        var withOffset = new byte[payload.Length - 1 + suffix.Length];
        payload[..^1].CopyTo(withOffset);
        suffix.CopyTo(withOffset.AsSpan(payload.Length - 1));
        var stored = new SocketIOPacket(packet.Type, packet.Namespace, withOffset, null, packet.Attachments);
        lock (_gate)
        {
            Expire();
            _packets.Add(new StoredPacket(offset, options, stored, _time.GetUtcNow()));
        }

        return stored;
    }

    // Unique within the process; the random prefix keeps offsets from an earlier run from matching.
    private string NewOffset()
    {
        var n = Interlocked.Increment(ref _offsetCounter);
        return _offsetPrefix + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private readonly string _offsetPrefix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    private void Expire()
    {
        var threshold = _time.GetUtcNow() - _recovery!.MaxDisconnectionDuration;
        foreach (var pid in _sessions.Where(s => s.Value.At < threshold).Select(s => s.Key).ToList())
        {
            _sessions.Remove(pid);
        }

        var drop = _packets.FindIndex(p => p.At >= threshold);
        _packets.RemoveRange(0, drop < 0 ? _packets.Count : drop);
    }

    private sealed record StoredPacket(string Offset, SocketIOBroadcastOptions Options, SocketIOPacket Packet, DateTimeOffset At);
}
