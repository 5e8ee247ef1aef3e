using System.Text.Json;
using System.Text.Json.Nodes;
using TypedSio.SocketIO;

namespace TypedSio.Client;

public sealed partial class SocketIOSocket
{
    /// <summary>Handles a packet for this namespace; called on the connection's receive loop.</summary>
    internal void OnPacket(SocketIOPacket packet)
    {
        switch (packet.Type)
        {
            case SocketIOPacketType.Connect:
                OnConnectPacket(packet);
                break;
            case SocketIOPacketType.ConnectError:
                OnConnectErrorPacket(packet);
                break;
            case SocketIOPacketType.Event or SocketIOPacketType.BinaryEvent:
                lock (_gate)
                {
                    if (!_connected)
                    {
                        // An event can overtake the CONNECT reply only in theory; keep it for after Connected.
                        _receiveBuffer.Add(packet);
                        return;
                    }
                }

                Dispatch(packet);
                break;
            case SocketIOPacketType.Ack or SocketIOPacketType.BinaryAck:
                OnAckPacket(packet);
                break;
            case SocketIOPacketType.Disconnect:
                OnServerDisconnect();
                break;
        }
    }

    private async Task SendConnectPacketAsync()
    {
        SocketIOPacket packet;
        try
        {
            var auth = _options.AuthProvider is { } provider ? await provider(CancellationToken.None) : _options.Auth;
            packet = CreateConnectPacket(auth);
        }
#pragma warning disable CA1031 // The auth callback's failure ends this connection attempt and is handed to ConnectAsync.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            TaskCompletionSource? waiter;
            lock (_gate)
            {
                _connecting = false;
                _active = false;
                waiter = _connectWaiter;
                _connectWaiter = null;
            }

            Log.AuthFailed(_logger, Namespace, exception);
            waiter?.TrySetException(exception);
            _manager.OnSocketInactive();
            return;
        }

        lock (_gate)
        {
            if (!_active)
            {
                // Disconnected while the auth callback ran.
                _connecting = false;
                return;
            }
        }

        Log.SendingConnect(_logger, Namespace);
        if (_manager.TryWritePacket(packet) is { } write)
        {
            await IgnoreFailureAsync(write);
        }
    }

    /// <summary>The CONNECT packet: the auth object, plus the session to restore (pid and offset) as socket.io-client sends them.</summary>
    private SocketIOPacket CreateConnectPacket(object? auth)
    {
        JsonObject? data = null;
        if (auth is not null)
        {
            var writer = new SocketIOPayloadWriter(_manager.Options.SerializerOptions);
            writer.WriteValue(auth);
            var written = writer.ToPacket(SocketIOPacketType.Connect, Namespace);
            data = JsonNode.Parse(written.Payload.Span) as JsonObject
                ?? throw new ArgumentException("The auth payload must be a JSON object.", nameof(auth));
        }

        lock (_gate)
        {
            if (_pid is not null)
            {
                data ??= [];
                data["pid"] = _pid;
                if (_lastOffset is not null)
                {
                    data["offset"] = _lastOffset;
                }
            }
        }

        return SocketIOPacket.CreateConnect(Namespace, data);
    }

    private void OnConnectPacket(SocketIOPacket packet)
    {
        string? sid = null, pid = null;
        if (!packet.Payload.IsEmpty)
        {
            using var document = JsonDocument.Parse(packet.Payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                sid = ReadString(document.RootElement, "sid");
                pid = ReadString(document.RootElement, "pid");
            }
        }

        if (sid is null)
        {
            // A Socket.IO v2 server answers CONNECT without a sid; the two cannot talk.
            Refuse(new ServerProtocolViolationException(
                $"the CONNECT reply for namespace '{Namespace}' carries no sid (a Socket.IO v2 server? This client speaks v5)."));
            return;
        }

        SocketIOPacket[] received;
        List<BufferedEmit> flushed;
        TaskCompletionSource? waiter;
        bool recovered, wanted;
        lock (_gate)
        {
            if (_connected)
            {
                return;
            }

            wanted = _active;
            if (!wanted)
            {
                received = [];
                flushed = [];
                waiter = null;
                recovered = false;
            }
            else
            {
                _id = sid;
                BeginConnection();
                recovered = pid is not null && _pid == pid;
                _recovered = recovered;
                _pid = pid;
                _connected = true;
                _connecting = false;
                received = [.. _receiveBuffer];
                _receiveBuffer.Clear();
                flushed = FlushSendBuffer();
                waiter = _connectWaiter;
                _connectWaiter = null;
            }
        }

        if (!wanted)
        {
            // Disconnected while the answer was on its way: leave the namespace so the server keeps no socket for us.
            _ = _manager.TryWritePacket(SocketIOPacket.CreateDisconnect(Namespace));
            return;
        }

        Log.Connected(_logger, Namespace, sid, recovered, flushed.Count);
        NotifyOutgoing(flushed);
        foreach (var buffered in received)
        {
            Dispatch(buffered);
        }

        DrainQueue(force: true);
        waiter?.TrySetResult();
        Raise(Connected);
    }

    private void OnConnectErrorPacket(SocketIOPacket packet)
    {
        var message = "Connection refused";
        JsonElement? data = null;
        if (!packet.Payload.IsEmpty)
        {
            using var document = JsonDocument.Parse(packet.Payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                message = ReadString(root, "message") ?? message;
                if (root.TryGetProperty("data", out var value))
                {
                    data = value.Clone();
                }
            }
            else if (root.ValueKind == JsonValueKind.String)
            {
                message = root.GetString() ?? message;
            }
        }

        Refuse(new NamespaceRefusedException(Namespace, message, data));
    }

    private void Refuse(ConnectErrorException error)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _active = false;
            _connecting = false;
            waiter = _connectWaiter;
            _connectWaiter = null;
        }

        error.WillRetry = false;
        Log.ConnectError(_logger, Namespace, false, error);
        waiter?.TrySetException(error);
        Raise(ConnectError, error);
        _manager.OnSocketInactive();
    }

    private void OnServerDisconnect()
    {
        bool wasConnected;
        lock (_gate)
        {
            wasConnected = _connected;
            _connected = false;
            _active = false;
            _id = null;
        }

        Log.ServerDisconnect(_logger, Namespace);
        _manager.OnSocketInactive();
        if (wasConnected)
        {
            OnClosed("io server disconnect", null, willReconnect: false);
        }
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
