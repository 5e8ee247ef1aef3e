using System.Net.WebSockets;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// One accepted WebSocket speaking Engine.IO frames. Sends (including the close frame) are serialized, so the socket has
/// one writer whether it is still an upgrade candidate or already the session's transport.
/// </summary>
internal abstract class EngineIOWebSocket : IDisposable
{
    private Task? _closing;

    /// <summary>How long the peer has to answer our close frame (or a blocked close frame to go out) before the abort.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <param name="time">The clock of the close handshake's timeout (the server's).</param>
    protected EngineIOWebSocket(TimeProvider time)
    {
        Time = time;
    }

    /// <summary>The clock of the close handshake's timeout.</summary>
    protected TimeProvider Time { get; }

    /// <summary>Held by whoever writes frames, so that the socket has one writer.</summary>
    protected SemaphoreSlim SendLock { get; } = new(1, 1);

    internal enum FrameKind
    {
        Text,
        Binary,
        Close,
        TooBig,
    }

    /// <summary>The status the close frame will carry.</summary>
    public WebSocketCloseStatus CloseStatus { get; set; } = WebSocketCloseStatus.NormalClosure;

    /// <summary>Writes one packet as one frame.</summary>
    /// <returns>The payload bytes written.</returns>
    public abstract ValueTask<long> SendAsync(EngineIOPacket packet, CancellationToken cancellationToken);

    /// <summary>Writes packets as consecutive frames; implementations that can flush once for all of them do.</summary>
    /// <returns>The payload bytes written.</returns>
    public virtual async ValueTask<long> SendAsync(List<EngineIOPacket> packets, CancellationToken cancellationToken)
    {
        long written = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            written += await SendAsync(packets[i], cancellationToken);
        }

        return written;
    }

    /// <summary>Reads one whole message; the returned bytes are valid until the next call.</summary>
    public abstract ValueTask<(FrameKind Kind, ReadOnlyMemory<byte> Data)> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends the close frame once (aborting the connection if that cannot be done in a few seconds); every caller gets
    /// the same task, so whoever must outlive the close frame can wait for it.
    /// </summary>
    public Task CloseAsync()
    {
        var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _closing, closing.Task, null) is { } started)
        {
            return started;
        }

        _ = CloseCoreAsync().ContinueWith(static (_, s) => ((TaskCompletionSource)s!).TrySetResult(), closing, TaskScheduler.Default);
        return closing.Task;
    }

    /// <summary>Writes the close frame carrying <see cref="CloseStatus"/>; called once, holding <see cref="SendLock"/>.</summary>
    protected abstract ValueTask WriteCloseFrameAsync(CancellationToken cancellationToken);

    /// <summary>Tears the connection down at once.</summary>
    protected abstract void Abort();

    private async Task CloseCoreAsync()
    {
        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout, Time);
        try
        {
            await SendLock.WaitAsync(timeout.Token);
            try
            {
                await WriteCloseFrameAsync(timeout.Token);
            }
            finally
            {
                SendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Abort();
            return;
        }

        // The reader is waiting for the peer's close frame; a peer that never sends it must not hold the connection.
        _ = Task.Delay(CloseHandshakeTimeout, Time).ContinueWith(static (_, s) => ((EngineIOWebSocket)s!).Abort(), this, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public abstract void Dispose();
}
