using System.Net;

namespace TypedSio.Client.Transports;

/// <summary>
/// Sits between ClientWebSocket and the shared handler for one upgrade request. ClientWebSocket reports a refused
/// upgrade with the status only; the body is where Engine.IO says why (e.g. "Session ID unknown"), so it is kept here.
/// </summary>
internal sealed class RefusalCapturingHandler : HttpMessageHandler
{
    private readonly HttpMessageInvoker _inner;

    public RefusalCapturingHandler(HttpMessageHandler inner) => _inner = new HttpMessageInvoker(inner, disposeHandler: false);

    public Refusal? Refusal { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _inner.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException)
            {
                // engine.io destroys the socket right after writing a refusal; a body cut short is still worth the status.
                body = string.Empty;
            }
            catch (IOException)
            {
                body = string.Empty;
            }

            Refusal = new Refusal((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
        }

        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A refused WebSocket upgrade: status, content type and body.</summary>
internal sealed record Refusal(int Status, string? ContentType, string Body);
