using System.Buffers;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace TypedSio.Benchmarks.Load;

/// <summary>
/// The calibration target: Kestrel at the connection level, answering the WebSocket upgrade with a canned 101 and an
/// Engine.IO open packet, then echoing bytes back untouched. The tool's own frames come back as they went, so "40"
/// reads as the connect reply and each event as its echo: the cheapest server possible, to show the tool's ceiling.
/// </summary>
internal static class EchoServer
{
    private static readonly byte[] s_upgrade =
    [
        .. "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"u8,
        .. Frames.ServerText("0{\"sid\":\"calibration\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "4101", CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Run(EchoAsync)));
        var app = builder.Build();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task EchoAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var end = buffer.PositionOf((byte)'\n');
            // The request ends with an empty line; the tool sends it in one write, so its last byte ends it.
            if (end is not null && buffer.Length >= 4 && buffer.Slice(buffer.Length - 4).ToArray().AsSpan().SequenceEqual("\r\n\r\n"u8))
            {
                input.AdvanceTo(buffer.End);
                await output.WriteAsync(s_upgrade).ConfigureAwait(false);
                break;
            }

            if (result.IsCompleted)
            {
                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                output.Write(segment.Span);
            }

            input.AdvanceTo(result.Buffer.End);
            var flush = await output.FlushAsync().ConfigureAwait(false);
            if (result.IsCompleted || flush.IsCompleted)
            {
                return;
            }
        }
    }
}
