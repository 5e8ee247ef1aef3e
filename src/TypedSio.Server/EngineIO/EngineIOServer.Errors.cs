using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TypedSio.EngineIO;

namespace TypedSio.Server.EngineIO;

public sealed partial class EngineIOServer
{
    private static readonly JsonWriterOptions ErrorJsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task RefuseAsync(HttpContext context, EngineIOErrorCode code, bool isWebSocket, string? detail, string? customMessage = null)
    {
        var message = string.IsNullOrEmpty(customMessage) ? EngineIOErrors.GetMessage(code) : customMessage;
        Log.ConnectionError(
            Logger,
            (int)code,
            message,
            detail is null ? string.Empty : " [" + detail + "]",
            context.Request.Method,
            context.Request.Path.ToString(),
            context.Request.QueryString.ToString());
        Metrics.Error((int)code);
        ConnectionError?.Invoke(this, new EngineIOConnectionErrorEventArgs(context, code, message, detail));

        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        if (isWebSocket)
        {
            // A refused upgrade is a plain 400 with the message as text, whatever the code (as the reference's abortUpgrade).
            var body = Encoding.UTF8.GetBytes(message);
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "text/html";
            response.ContentLength = body.Length;
            response.Headers.Connection = "close";
            await response.Body.WriteAsync(body);
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ErrorJsonOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("code"u8, (int)code);
            json.WriteString("message"u8, message);
            json.WriteEndObject();
        }

        response.StatusCode = EngineIOErrors.GetHttpStatus(code);
        response.ContentType = "application/json";
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static Task AnswerEmptyAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
