using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using TypedSio.Server.EngineIO;
using TypedSio.SocketIO;

namespace TypedSio.Server.SocketIO;

/// <summary>One Engine.IO connection seen by Socket.IO: decodes its packets and routes them to its sockets, one per namespace.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore never allocates a wait handle (only waitasync is used) and writers may still hold it when the connection ends.")]
internal sealed class SocketIOClientConnection
{
    private readonly SocketIOServer _server;
    private readonly SocketIODecoder _decoder;
    // Copy-on-write: a connection rarely has more than a namespace or two, and reads (every packet) far outnumber writes.
    private SocketIOSocket[] _sockets = [];
    private SemaphoreSlim? _writeLock;
    private ITimer? _connectTimeout;
    private SocketIODisconnectReason? _closeReason;
    private int _everConnected;

    public SocketIOClientConnection(SocketIOServer server, IEngineIOConnection connection)
    {
        _server = server;
        Connection = connection;
        _decoder = new SocketIODecoder(new SocketIOParserOptions { MaxPacketSize = long.MaxValue });
    }

    public IEngineIOConnection Connection { get; }

    public bool IsClosed => Connection.ConnectionClosed.IsCancellationRequested || _closeReason is not null;

    public async Task RunAsync()
    {
        _server.Register(this);
        _connectTimeout = _server.Time.CreateTimer(
            static state =>
            {
                var connection = (SocketIOClientConnection)state!;
                if (Volatile.Read(ref connection._everConnected) == 0)
                {
                    connection._server.Log.ConnectTimeout(connection.Connection.Id);
                    _ = connection.CloseAsync(SocketIODisconnectReason.ForcedServerClose);
                }
            },
            this,
            _server.Options.ConnectTimeout,
            Timeout.InfiniteTimeSpan);
        if (Volatile.Read(ref _everConnected) == 1)
        {
            Interlocked.Exchange(ref _connectTimeout, null)?.Dispose(); // a namespace joined before the timer existed
        }

        try
        {
            if (Connection is EngineIOSession session)
            {
                // Messages are handed over on the transport's thread, in order; see EngineIOSession.SetReceiver.
                session.SetReceiver(OnMessageAsync);
                await session.Closed.ConfigureAwait(false);
            }
            else
            {
                await foreach (var message in Connection.ReadAllAsync().ConfigureAwait(false))
                {
                    await OnMessageAsync(message).ConfigureAwait(false);
                    if (_closeReason is not null)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _connectTimeout, null)?.Dispose();
            _server.Unregister(this);
            var reason = _closeReason ?? SocketIODisconnectReasons.FromEngine(await Connection.Closed.ConfigureAwait(false));
            await CloseSocketsAsync(reason).ConfigureAwait(false);
            _decoder.Reset();
        }
    }

    // Decodes before any await: the message's bytes belong to the transport and are only valid until then.
    private ValueTask OnMessageAsync(EngineIOMessage message)
    {
        if (_closeReason is not null)
        {
            return ValueTask.CompletedTask;
        }

        _server.Metrics.PacketReceived(message.Data.Length);
        var data = new ReadOnlySequence<byte>(message.Data);
        SocketIOPacket? packet;
        SocketIOParseError error;
        var ok = message.IsBinary
            ? _decoder.TryDecodeBinary(data, out packet, out error)
            : _decoder.TryDecodeText(data, out packet, out error);
        if (!ok)
        {
            _server.Log.ParseError(Connection.Id, error.Message);
            _server.Metrics.Error("", "parse");
            return new ValueTask(CloseAsync(SocketIODisconnectReason.ForcedClose));
        }

        if (packet is null)
        {
            return ValueTask.CompletedTask; // a binary packet still waiting for attachments
        }

        if (packet.Type is not (SocketIOPacketType.Connect or SocketIOPacketType.ConnectError) && TryGetSocket(packet.Namespace, out var socket))
        {
            socket.OnPacket(packet);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(RouteAsync(packet));
    }

    public void Attach(SocketIOSocket socket)
    {
        ImmutableInterlocked.Update(ref _sockets, static (sockets, added) => [.. sockets.Where(s => s.Namespace.Name != added.Namespace.Name), added], socket);
        if (Interlocked.Exchange(ref _everConnected, 1) == 0)
        {
            // The timer only guards the first CONNECT; let go of it too (every connection would keep a dead timer).
            Interlocked.Exchange(ref _connectTimeout, null)?.Dispose();
        }
    }

    public void Detach(SocketIOSocket socket) =>
        ImmutableInterlocked.Update(ref _sockets, static (sockets, removed) => Array.IndexOf(sockets, removed) < 0 ? sockets : [.. sockets.Where(s => s != removed)], socket);

    private bool TryGetSocket(string nsp, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SocketIOSocket? socket)
    {
        foreach (var candidate in Volatile.Read(ref _sockets))
        {
            if (candidate.Namespace.Name == nsp)
            {
                socket = candidate;
                return true;
            }
        }

        socket = null;
        return false;
    }

    public Task SendPacketAsync(SocketIOPacket packet) => WriteAsync(SocketIOEncodedPacket.Encode(packet), isVolatile: false);

    public Task WriteAsync(SocketIOEncodedPacket encoded, bool isVolatile)
    {
        if (IsClosed)
        {
            return Task.CompletedTask;
        }

        if (Connection is EngineIOSession session)
        {
            // The session queues a packet's messages back to back, so attachments never interleave with another packet.
            if (session.Send(encoded.Messages))
            {
                _server.Metrics.PacketSent(encoded.Bytes);
            }

            return Task.CompletedTask;
        }

        return WriteSerializedAsync(encoded);
    }

    // Another IEngineIOConnection: a binary packet is several messages that must not interleave with another packet's.
    private async Task WriteSerializedAsync(SocketIOEncodedPacket encoded)
    {
        var writeLock = LazyInitializer.EnsureInitialized(ref _writeLock, static () => new SemaphoreSlim(1, 1));
        await writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var message in encoded.Messages)
            {
                if (!await Connection.SendAsync(message).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            writeLock.Release();
        }

        _server.Metrics.PacketSent(encoded.Bytes);
    }

    // Every namespace gets a DISCONNECT, then the connection closes (the reference's socket.disconnect(true)).
    public async Task DisconnectAllAsync()
    {
        foreach (var socket in Volatile.Read(ref _sockets))
        {
            await socket.DisconnectAsync().ConfigureAwait(false);
        }

        await CloseAsync(SocketIODisconnectReason.ForcedServerClose).ConfigureAwait(false);
    }

    public async Task CloseAsync(SocketIODisconnectReason reason)
    {
        if (IsClosed)
        {
            return;
        }

        _closeReason = reason;
        await CloseSocketsAsync(reason).ConfigureAwait(false);
        await Connection.CloseAsync().ConfigureAwait(false);
    }

    public async Task CloseSocketsAsync(SocketIODisconnectReason reason)
    {
        foreach (var socket in Volatile.Read(ref _sockets))
        {
            await socket.CloseAsync(reason).ConfigureAwait(false);
        }
    }

    // Returns false when the packet broke the protocol and the connection was closed.
    private async Task<bool> RouteAsync(SocketIOPacket packet)
    {
        var joined = TryGetSocket(packet.Namespace, out var socket);
        if (!joined && packet.Type == SocketIOPacketType.Connect)
        {
            var auth = packet.Payload.IsEmpty ? default : JsonDocument.Parse(packet.Payload).RootElement.Clone();
            var nsp = await _server.ResolveNamespaceAsync(packet.Namespace, auth).ConfigureAwait(false);
            if (nsp is null)
            {
                _server.Log.InvalidNamespace(Connection.Id, packet.Namespace);
                _server.Metrics.Error(packet.Namespace, "invalid_namespace");
                await SendPacketAsync(SocketIOPacket.CreateConnectError(packet.Namespace, "Invalid namespace")).ConfigureAwait(false);
                return true;
            }

            await nsp.AddAsync(this, auth).ConfigureAwait(false);
            return true;
        }

        if (joined && packet.Type is not (SocketIOPacketType.Connect or SocketIOPacketType.ConnectError))
        {
            socket!.OnPacket(packet);
            return true;
        }

        _server.Log.InvalidState(Connection.Id, packet.Type.ToString(), packet.Namespace);
        _server.Metrics.Error(packet.Namespace, "invalid_state");
        await CloseAsync(SocketIODisconnectReason.ForcedServerClose).ConfigureAwait(false);
        return false;
    }
}
