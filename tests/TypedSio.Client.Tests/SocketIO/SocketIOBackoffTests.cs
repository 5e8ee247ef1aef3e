namespace TypedSio.Client.Tests.SocketIO;

public sealed class SocketIOBackoffTests
{
    [Fact]
    public void Next_NoJitter_DoublesUpToMax()
    {
        var backoff = new SocketIOBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 0, () => 0.99);

        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalMilliseconds).ToArray();

        Assert.Equal([1000, 2000, 4000, 5000, 5000], delays);
        Assert.Equal(5, backoff.Attempts);
    }

    [Theory]
    [InlineData(0.25, 875)] // floor(2.5) is even: down by floor(0.25 * 0.5 * 1000)
    [InlineData(0.35, 1175)] // floor(3.5) is odd: up by floor(0.35 * 0.5 * 1000)
    [InlineData(0.0, 1000)]
    public void Next_Jitter_MovesDelayAsReference(double sample, double expected)
    {
        var backoff = new SocketIOBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 0.5, () => sample);

        Assert.Equal(expected, backoff.Next().TotalMilliseconds);
    }

    [Fact]
    public void Reset_AfterAttempts_StartsOver()
    {
        var backoff = new SocketIOBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 0, () => 0);
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(0, backoff.Attempts);
        Assert.Equal(1000, backoff.Next().TotalMilliseconds);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.25)]
    public void Next_ManyAttempts_StaysAtMax(double sample)
    {
        var backoff = new SocketIOBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 0.5, () => sample);
        for (var i = 0; i < 2000; i++)
        {
            backoff.Next();
        }

        Assert.Equal(5000, backoff.Next().TotalMilliseconds);
    }
}
