using System.Buffers;
using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<string, SocketIOSocket> _sockets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
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
        using var connectTimeout = new CancellationTokenSource(_server.Options.ConnectTimeout, _server.Time);
        using var registration = connectTimeout.Token.Register(() =>
        {
            if (Volatile.Read(ref _everConnected) == 0)
            {
                _server.Log.ConnectTimeout(Connection.Id);
                _ = CloseAsync(SocketIODisconnectReason.ForcedServerClose);
            }
        });
        try
        {
            await foreach (var message in Connection.ReadAllAsync().ConfigureAwait(false))
            {
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
                    await CloseAsync(SocketIODisconnectReason.ForcedClose).ConfigureAwait(false);
                    break;
                }

                if (packet is not null && !await RouteAsync(packet).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            _server.Unregister(this);
            var reason = _closeReason ?? SocketIODisconnectReasons.FromEngine(await Connection.Closed.ConfigureAwait(false));
            await CloseSocketsAsync(reason).ConfigureAwait(false);
            _decoder.Reset();
        }
    }

    public void Attach(SocketIOSocket socket)
    {
        _sockets[socket.Namespace.Name] = socket;
        Volatile.Write(ref _everConnected, 1);
    }

    public void Detach(SocketIOSocket socket) => _sockets.TryRemove(new KeyValuePair<string, SocketIOSocket>(socket.Namespace.Name, socket));

    public Task SendPacketAsync(SocketIOPacket packet) => WriteAsync(SocketIOEncodedPacket.Encode(packet), isVolatile: false);

    public async Task WriteAsync(SocketIOEncodedPacket encoded, bool isVolatile)
    {
        if (IsClosed)
        {
            return;
        }

        // A binary packet is several Engine.IO messages that must not interleave with another packet's.
        await _writeLock.WaitAsync().ConfigureAwait(false);
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
            _writeLock.Release();
        }

        _server.Metrics.PacketSent(encoded.Bytes);
    }

    // Every namespace gets a DISCONNECT, then the connection closes (the reference's socket.disconnect(true)).
    public async Task DisconnectAllAsync()
    {
        foreach (var socket in _sockets.Values.ToList())
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
        foreach (var socket in _sockets.Values.ToList())
        {
            await socket.CloseAsync(reason).ConfigureAwait(false);
        }
    }

    // Returns false when the packet broke the protocol and the connection was closed.
    private async Task<bool> RouteAsync(SocketIOPacket packet)
    {
        var joined = _sockets.TryGetValue(packet.Namespace, out var socket);
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
