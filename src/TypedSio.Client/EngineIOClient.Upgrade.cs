using TypedSio.Client.Transports;
using TypedSio.EngineIO;

namespace TypedSio.Client;

public sealed partial class EngineIOClient
{
    /// <summary>
    /// The upgrade dance: open a WebSocket for the same session, send <c>2probe</c>, expect <c>3probe</c>, then stop
    /// writing and polling, send <c>5</c> over the WebSocket and make it the transport. A failed probe leaves the
    /// session on polling, as in the reference client.
    /// </summary>
    private async Task ProbeWebSocketAsync()
    {
        var probe = new WebSocketTransport(_context, this) { Sid = Id };
        lock (_gate)
        {
            if (_readyState != EngineIOReadyState.Open)
            {
                return;
            }

            _probe = probe;
        }

        Log.Probing(_logger);
        var holdsWriteLock = false;
        var pollingPaused = false;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _options.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _abort.Token);
            await probe.ConnectAsync(linked.Token);
            Log.ProbeOpened(_logger);
            await probe.WriteAsync([EngineIOPacket.PingProbe], linked.Token);
            var answer = await probe.ReceiveOneAsync(linked.Token);
            if (answer is not (EngineIOPacketType.Pong, "probe"))
            {
                throw new ServerProtocolViolationException($"the upgrade probe was answered with {answer?.Type.ToString() ?? "a closed socket"} instead of '3probe'.");
            }

            Log.ProbePong(_logger);
            await _writeLock.WaitAsync(linked.Token);
            holdsWriteLock = true;
            if (_transport is not PollingTransport polling || ReadyState != EngineIOReadyState.Open)
            {
                probe.Abort();
                return;
            }

            await polling.PauseAsync();
            pollingPaused = true;
            if (ReadyState != EngineIOReadyState.Open)
            {
                probe.Abort();
                return;
            }

            Log.ChangingTransport(_logger);
            await probe.WriteAsync([EngineIOPacket.Text(EngineIOPacketType.Upgrade)], linked.Token);
            lock (_gate)
            {
                _transport = probe;
                _probe = null;
            }

            polling.Abort();
            probe.StartReceiving();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !_abort.IsCancellationRequested)
        {
            Log.ProbeFailed(_logger, exception);
            probe.Abort();
            lock (_gate)
            {
                _probe = null;
            }

            var error = ConnectFailures.Map(exception, _context) ?? exception;
            Raise(UpgradeFailed, error);
            if (pollingPaused)
            {
                // Polling has stopped and the WebSocket failed at the last step: no transport is left to carry the session.
                OnClose("transport error", error);
            }

            return;
        }
        catch (OperationCanceledException)
        {
            probe.Abort();
            return;
        }
        finally
        {
            if (holdsWriteLock)
            {
                _writeLock.Release();
            }
        }

        Log.Upgraded(_logger);
        Raise(Upgraded, EngineIOTransportKind.WebSocket);
    }
}
