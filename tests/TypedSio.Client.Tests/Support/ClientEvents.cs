using System.Threading.Channels;

namespace TypedSio.Client.Tests.Support;

/// <summary>Records a client's events so tests can await them (with generous timeouts, never sleeps).</summary>
public sealed class ClientEvents
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Channel<EngineIOMessageEventArgs> _messages = Channel.CreateUnbounded<EngineIOMessageEventArgs>();
    private readonly TaskCompletionSource<EngineIOClosedEventArgs> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<EngineIOTransportKind> _upgraded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<bool> _heartbeats = Channel.CreateUnbounded<bool>();

    public ClientEvents(EngineIOClient client)
    {
        client.MessageReceived += (_, e) => _messages.Writer.TryWrite(e);
        client.Closed += (_, e) => _closed.TrySetResult(e);
        client.Upgraded += (_, e) => _upgraded.TrySetResult(e);
        client.Heartbeat += (_, _) => _heartbeats.Writer.TryWrite(true);
    }

    public Task<EngineIOClosedEventArgs> Closed => _closed.Task.WaitAsync(Patience);

    public bool HasClosed => _closed.Task.IsCompleted;

    public Task<EngineIOTransportKind> Upgraded => _upgraded.Task.WaitAsync(Patience);

    public async Task<EngineIOMessageEventArgs> NextMessageAsync() => await _messages.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public async Task HeartbeatsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _heartbeats.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        }
    }
}
