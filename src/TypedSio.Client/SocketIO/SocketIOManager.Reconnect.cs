using Microsoft.Extensions.Logging;

namespace TypedSio.Client;

public sealed partial class SocketIOManager
{
    private bool _reconnecting;
    private ITimer? _reconnectTimer;

    /// <summary>One connection attempt: a fresh Engine.IO client (so a server restart means a fresh handshake, never a stale sid).</summary>
    private async Task OpenAsync(bool isReconnect, int id)
    {
        var engine = new EngineIOClient(CreateEngineOptions());
        engine.MessageReceived += OnEngineMessage;
        engine.Closed += OnEngineClosed;
        lock (_gate)
        {
            if (_openingId != id)
            {
                _ = engine.DisposeAsync().AsTask();
                return;
            }

            _engine = engine;
            _decoder = new();
        }

        Log.Opening(_logger, Uri, (long)_options.Timeout.TotalMilliseconds);
        ConnectErrorException? error = null;
        try
        {
            await engine.OpenAsync(_disposed.Token);
        }
        catch (ConnectErrorException exception)
        {
            error = exception;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed meanwhile: DisposeAsync already told the sockets.
        }
#pragma warning disable CA1031 // Whatever ended the attempt is reported to the sockets as a connect error.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            error = new ServerUnreachableException(Uri.Host, Uri.Port, exception);
        }

        SocketIOSocket[] sockets;
        bool success, abandoned = false;
        lock (_gate)
        {
            if (_openingId != id)
            {
                // Abandoned (the last socket left meanwhile): its outcome concerns nobody, not even a newer attempt.
                abandoned = true;
            }
            else
            {
                _openingId = 0;
                _reportingOpen = true;
            }
        }

        if (abandoned)
        {
            _ = engine.DisposeAsync().AsTask();
            return;
        }

        lock (_gate)
        {
            success = error is null && !_disposed.IsCancellationRequested && ReferenceEquals(_engine, engine)
                && engine.ReadyState == EngineIOReadyState.Open;
            if (success)
            {
                _state = ManagerState.Open;
            }
            else
            {
                if (ReferenceEquals(_engine, engine))
                {
                    _engine = null;
                    _state = ManagerState.Closed;
                }

                if (isReconnect)
                {
                    _reconnecting = false;
                }
            }

            sockets = [.. _sockets.Values];
        }

        try
        {
            if (!success)
            {
                _ = engine.DisposeAsync().AsTask();
                if (error is not null)
                {
                    OnOpenFailed(error, isReconnect, sockets);
                }

                return;
            }

            Log.Opened(_logger, engine.Id ?? string.Empty, engine.Transport);
            foreach (var socket in sockets)
            {
                socket.OnManagerOpen();
            }
        }
        finally
        {
            lock (_gate)
            {
                _reportingOpen = false;
            }
        }

        if (isReconnect)
        {
            int attempts;
            lock (_gate)
            {
                attempts = _backoff.Attempts;
                _reconnecting = false;
                _backoff.Reset();
            }

            Log.Reconnected(_logger, attempts);
            Raise(Reconnected, attempts);
        }
    }

    private void OnOpenFailed(ConnectErrorException error, bool isReconnect, SocketIOSocket[] sockets)
    {
        bool willRetry;
        lock (_gate)
        {
            var worthRetrying = (_options.ShouldRetry ?? DefaultShouldRetry)(error);
            willRetry = _options.Reconnection && !_skipReconnect && !_disposed.IsCancellationRequested && worthRetrying
                && _backoff.Attempts < _options.ReconnectionAttempts && !_reconnecting;
        }

        error.WillRetry = willRetry;
        Log.OpenFailed(_logger, willRetry, error);

        // Schedule first, report second: whoever reacts to the report sees the next attempt already planned.
        if (willRetry && !ScheduleReconnect())
        {
            willRetry = false;
            error.WillRetry = false;
        }

        foreach (var socket in sockets)
        {
            socket.OnManagerError(error, willRetry);
        }

        if (isReconnect)
        {
            Raise(ReconnectError, error);
        }

        if (!willRetry && isReconnect)
        {
            GiveUp(sockets);
        }
    }

    /// <summary>Plans the next attempt after the backoff delay.</summary>
    /// <returns>False when no attempt is left (the caller gives up once it reported the failure).</returns>
    private bool ScheduleReconnect()
    {
        lock (_gate)
        {
            if (_reconnecting || _skipReconnect || _disposed.IsCancellationRequested)
            {
                return _reconnecting;
            }

            if (_backoff.Attempts >= _options.ReconnectionAttempts)
            {
                return false;
            }

            var delay = _backoff.Next();
            _reconnecting = true;
            Log.ReconnectScheduled(_logger, _backoff.Attempts, (long)delay.TotalMilliseconds);
            _reconnectTimer?.Dispose();
            _reconnectTimer = _options.TimeProvider.CreateTimer(_ => Reconnect(), null, delay, System.Threading.Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    private void GiveUp(SocketIOSocket[] sockets)
    {
        lock (_gate)
        {
            _backoff.Reset();
            _reconnecting = false;
        }

        foreach (var socket in sockets)
        {
            socket.OnManagerGaveUp();
        }

        Log.ReconnectGaveUp(_logger, _options.ReconnectionAttempts);
        Raise(ReconnectFailed);
    }

    private void Reconnect()
    {
        int attempt;
        lock (_gate)
        {
            if (_skipReconnect || _disposed.IsCancellationRequested || !_reconnecting)
            {
                _reconnecting = false;
                return;
            }

            attempt = _backoff.Attempts;
        }

        Log.ReconnectAttempt(_logger, attempt);
        Raise(ReconnectAttempt, attempt);
        lock (_gate)
        {
            // A handler may have disposed the manager or disconnected the last socket.
            if (_skipReconnect || _disposed.IsCancellationRequested || _openingId != 0)
            {
                _reconnecting = false;
                return;
            }

            _state = ManagerState.Opening;
            var id = _openingId = ++_lastAttemptId;
            _ = Task.Run(() => OpenAsync(isReconnect: true, id));
        }
    }

    // Callers hold _gate.
    private void CancelReconnectTimer()
    {
        _reconnectTimer?.Dispose();
        _reconnectTimer = null;
        _reconnecting = false;
    }

    private static bool DefaultShouldRetry(ConnectErrorException error) =>
        error is not (EngineIOForbiddenException or EngineIOUnsupportedProtocolVersionException);
}
