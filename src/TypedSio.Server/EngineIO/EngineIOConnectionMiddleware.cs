using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// Kestrel connection middleware (<see cref="EngineIOKestrelExtensions.UseEngineIOWebSockets"/>): when a connection's
/// first request is a WebSocket upgrade to a mapped Engine.IO path that needs nothing from ASP.NET Core, it answers the
/// upgrade itself and runs the WebSocket on the connection's own pipes. Every other connection, and every request this
/// path leaves alone, goes on to Kestrel's HTTP handling with not a byte consumed.
/// </summary>
internal sealed class EngineIOConnectionMiddleware
{
    // A client that connects and sends nothing is handed to Kestrel after this long, whose own timeouts then apply.
    private static readonly TimeSpan FirstRequestTimeout = TimeSpan.FromSeconds(10);
    private readonly ConnectionDelegate _next;
    private readonly EngineIOServerDirectory _directory;

    public EngineIOConnectionMiddleware(ConnectionDelegate next, EngineIOServerDirectory directory)
    {
        _next = next;
        _directory = directory;
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var accepted = await TryAcceptAsync(connection);
        if (accepted is null)
        {
            await _next(connection);
            return;
        }

        var (server, session, isNew, socket) = accepted.Value;
        using (socket)
        {
            await server.RunAcceptedWebSocketAsync(socket, session, isNew);
        }
    }

    private async Task<(EngineIOServer Server, EngineIOSession Session, bool IsNew, EngineIOWebSocket Socket)?> TryAcceptAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        ReadResult read;
        using (var timeout = new CancellationTokenSource(FirstRequestTimeout))
        {
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or ConnectionAbortedException or ConnectionResetException)
            {
                // Gone before it said anything; Kestrel's HTTP handling would find the same and end quietly too.
                return null;
            }
        }

        var buffer = read.Buffer;
        long length = 0;
        var request = read.IsCanceled ? null : EngineIOUpgradeRequest.TryParse(buffer, out length);
        if (request is null || _directory.Find(request.Path) is not { } server || server.TryTakeConnection(request, connection, out var isNew) is not { } session)
        {
            // Nothing consumed and nothing examined: Kestrel reads the same bytes at once.
            input.AdvanceTo(buffer.Start);
            return null;
        }

        input.AdvanceTo(buffer.GetPosition(length));
        var output = connection.Transport.Output;
        output.Write(Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: "
            + WebSocketFraming.ComputeAcceptKey(request.Key) + "\r\n\r\n"));
        if (!isNew)
        {
            // An upgrade candidate waits for the client's probe, so the answer must go now; a new session's goes out
            // with its open packet.
            await output.FlushAsync();
        }

        var socket = new PipeEngineIOWebSocket(
            input,
            output,
            connection.Abort,
            ownsPipes: false,
            session.Protocol,
            session.SupportsBinary,
            server.Options.MaxHttpBufferSize,
            server.TimeProvider);
        return (server, session, isNew, socket);
    }

    /// <summary>What the handshake request tells a new session, as the HTTP path would have recorded it.</summary>
    internal static EngineIORequestInfo DescribeRequest(EngineIOUpgradeRequest request, ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint as IPEndPoint;
        return new EngineIORequestInfo(
            request.Path,
            request.QueryPairs(),
            request.Headers,
            remote?.Address,
            remote?.Port ?? 0,
            isHttps: connection.Features.Get<ITlsHandshakeFeature>() is not null,
            user: null);
    }
}
