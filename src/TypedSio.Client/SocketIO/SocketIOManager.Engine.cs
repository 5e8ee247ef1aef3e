using System.Web;
using Microsoft.Extensions.Logging;
using TypedSio.SocketIO;

namespace TypedSio.Client;

public sealed partial class SocketIOManager
{
    /// <summary>Writes a packet (its text, then its attachments) if the connection is open.</summary>
    /// <returns>The task of the write, or null when the connection is not open and nothing was sent.</returns>
    internal Task? TryWritePacket(SocketIOPacket packet)
    {
        EngineIOClient? engine;
        lock (_gate)
        {
            engine = _state == ManagerState.Open ? _engine : null;
        }

        if (engine is null || engine.ReadyState != EngineIOReadyState.Open)
        {
            return null;
        }

        var text = SocketIOPacketWriter.WriteToString(packet);
        Log.WritingPacket(_logger, text);
        try
        {
            // One gate for all sockets: a binary packet's attachments must follow its text with nothing in between.
            lock (_writeGate)
            {
                var first = engine.SendAsync(text);
                if (first.IsFaulted)
                {
                    // Refused at once: the session closed after the check above, so nothing was queued.
                    _ = first.Exception;
                    return null;
                }

                if (packet.Attachments.Count == 0)
                {
                    return first;
                }

                var parts = new Task[packet.Attachments.Count + 1];
                parts[0] = first;
                for (var i = 0; i < packet.Attachments.Count; i++)
                {
                    parts[i + 1] = engine.SendAsync(packet.Attachments[i]);
                }

                return Task.WhenAll(parts);
            }
        }
        catch (InvalidOperationException)
        {
            // The session started closing between the check and the send; the caller buffers or reports the packet.
            return null;
        }
    }

    private EngineIOClientOptions CreateEngineOptions()
    {
        var engine = new EngineIOClientOptions(Uri)
        {
            Path = _options.Path,
            Upgrade = _options.Upgrade,
            ConnectTimeout = _options.Timeout,
            TimeProvider = _options.TimeProvider,
            LoggerFactory = _options.LoggerFactory,
        };
        engine.Transports.Clear();
        foreach (var transport in _options.Transports)
        {
            engine.Transports.Add(transport);
        }

        if (!string.IsNullOrEmpty(Uri.Query))
        {
            var query = HttpUtility.ParseQueryString(Uri.Query);
            foreach (var key in query.AllKeys)
            {
                if (key is not null)
                {
                    engine.Query[key] = query[key] ?? string.Empty;
                }
            }
        }

        foreach (var (key, value) in _options.Query)
        {
            engine.Query[key] = value;
        }

        foreach (var (key, value) in _options.ExtraHeaders)
        {
            engine.ExtraHeaders[key] = value;
        }

        _options.ConfigureEngine?.Invoke(engine);
        return engine;
    }

    private void OnEngineMessage(object? sender, EngineIOMessageEventArgs e)
    {
        SocketIODecoder decoder;
        lock (_gate)
        {
            if (!ReferenceEquals(sender, _engine))
            {
                return;
            }

            decoder = _decoder;
        }

        var data = new System.Buffers.ReadOnlySequence<byte>(e.Data);
        var decoded = e.IsBinary
            ? decoder.TryDecodeBinary(data, out var packet, out var error)
            : decoder.TryDecodeText(data, out packet, out error);
        if (!decoded)
        {
            Log.ParseError(_logger, error.Message);
            lock (_gate)
            {
                _closeReason = "parse error";
            }

            _ = ((EngineIOClient)sender!).CloseAsync();
            return;
        }

        if (packet is null)
        {
            return;
        }

        Log.PacketReceived(_logger, packet.Type, packet.Namespace);
        SocketIOSocket? socket;
        lock (_gate)
        {
            _sockets.TryGetValue(packet.Namespace, out socket);
        }

        if (socket is null)
        {
            Log.UnknownNamespace(_logger, packet.Namespace);
            return;
        }

        socket.OnPacket(packet);
    }

    private void OnEngineClosed(object? sender, EngineIOClosedEventArgs e)
    {
        string reason;
        SocketIOSocket[] sockets;
        lock (_gate)
        {
            if (!ReferenceEquals(sender, _engine))
            {
                return;
            }

            _engine = null;
            _state = ManagerState.Closed;
            reason = _closeReason ?? e.Reason;
            _closeReason = null;
            _backoff.Reset();
            sockets = [.. _sockets.Values];
        }

        Log.Closed(_logger, reason, e.Exception);
        // Schedule first, report second: whoever reacts to Disconnected sees the next attempt already planned.
        var reconnection = _options.Reconnection && !_skipReconnect && !_disposed.IsCancellationRequested;
        var willReconnect = reconnection && ScheduleReconnect();
        foreach (var socket in sockets)
        {
            socket.OnManagerClose(reason, e.Exception, willReconnect);
        }

        if (reconnection && !willReconnect)
        {
            GiveUp(sockets);
        }
    }
}
