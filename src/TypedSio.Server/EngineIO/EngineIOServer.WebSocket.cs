using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

public sealed partial class EngineIOServer
{
    private async Task HandleWebSocketHandshakeAsync(HttpContext context, EngineIOProtocolVersion protocol)
    {
        using var socket = await AcceptAsync(context, protocol);
        var session = CreateSession(context, EngineIOTransportNames.WebSocket, protocol);
        session.AttachWebSocket(socket);
        StartSession(session);
        await session.RunWebSocketAsync(socket, isCandidate: false);
    }

    private async Task HandleUpgradeAsync(HttpContext context, EngineIOSession session, string transport)
    {
        using var socket = await AcceptAsync(context, session.Protocol);
        await RunUpgradeCandidateAsync(socket, session, transport);
    }

    private async Task RunUpgradeCandidateAsync(EngineIOWebSocket socket, EngineIOSession session, string transport)
    {
        var refusal = transport != EngineIOTransportNames.WebSocket
            ? "transport doesn't handle upgraded requests"
            : session.TryBeginUpgrade(socket);
        if (refusal is not null)
        {
            // The reference accepts such a socket and closes it at once rather than refusing the HTTP upgrade.
            Log.WebSocketRefused(Logger, session.Id, refusal);
            await socket.CloseAsync();
            await DrainUntilClosedAsync(socket);
            return;
        }

        await session.RunWebSocketAsync(socket, isCandidate: true);
    }

    private static async Task DrainUntilClosedAsync(EngineIOWebSocket socket)
    {
        try
        {
            while ((await socket.ReceiveAsync(CancellationToken.None)).Kind != EngineIOWebSocket.FrameKind.Close)
            {
            }
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task<EngineIOWebSocket> AcceptAsync(HttpContext context, EngineIOProtocolVersion protocol)
    {
        var deflate = Options.PerMessageDeflate;
        var supportsBinary = !context.Request.Query.ContainsKey("b64");
        if (deflate is null && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            // Our own framing over the upgraded stream (see PipeEngineIOWebSocket); ASP.NET Core's WebSocket is kept
            // for compression and for HTTP/2 WebSockets. The WebSockets middleware has already validated the
            // handshake (a valid Sec-WebSocket-Key among it): only WebSocket requests come here.
            context.Response.Headers.Upgrade = "websocket";
            context.Response.Headers.SecWebSocketAccept = WebSocketFraming.ComputeAcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
            var stream = await upgrade.UpgradeAsync();
            return new PipeEngineIOWebSocket(
                PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true, useZeroByteReads: true)),
                PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)),
                context.Abort,
                ownsPipes: true,
                protocol,
                supportsBinary,
                Options.MaxHttpBufferSize,
                TimeProvider);
        }

        var accept = new Microsoft.AspNetCore.Http.WebSocketAcceptContext();
        if (deflate is not null)
        {
            accept.DangerousEnableCompression = true;
            accept.DisableServerContextTakeover = deflate.ServerNoContextTakeover;
            accept.ServerMaxWindowBits = deflate.ServerMaxWindowBits;
        }

        var webSocket = await context.WebSockets.AcceptWebSocketAsync(accept);
        return new ManagedEngineIOWebSocket(
            webSocket,
            protocol,
            supportsBinary,
            Options.MaxHttpBufferSize,
            deflate?.Threshold,
            TimeProvider);
    }
}
