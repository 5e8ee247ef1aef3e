namespace TypedSio.Client.Internal;

/// <summary>
/// Raises public events so that a subscriber's exception is reported to the raiser's log instead of tearing down the
/// connection that raised it.
/// </summary>
internal static class EventRaiser
{
    public static void Raise<T>(object sender, EventHandler<T>? handler, T args, Action<Exception> onHandlerFailed)
    {
        try
        {
            handler?.Invoke(sender, args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not take the connection down; it is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            onHandlerFailed(exception);
        }
    }

    public static void Raise(object sender, EventHandler? handler, Action<Exception> onHandlerFailed)
    {
        try
        {
            handler?.Invoke(sender, EventArgs.Empty);
        }
#pragma warning disable CA1031 // A subscriber's bug must not take the connection down; it is logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            onHandlerFailed(exception);
        }
    }
}
