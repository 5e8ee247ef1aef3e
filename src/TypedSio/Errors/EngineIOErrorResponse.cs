using System.Globalization;
using System.Text.Json;
using TypedSio.EngineIO;

namespace TypedSio;

/// <summary>
/// An Engine.IO server's refusal read from an HTTP response. Servers send it in several shapes, all of which are read:
/// JSON with a numeric code (<c>{"code":1,"message":"Session ID unknown"}</c>), JSON with the code as a string
/// (<c>{"code":"1",...}</c>), HTTP 403 with or without a body (Forbidden), and the plain-text body engine.io writes when it
/// refuses a WebSocket upgrade (HTTP 400, <c>text/html</c>, the message alone, e.g. <c>Session ID unknown</c>).
/// </summary>
public sealed class EngineIOErrorResponse
{
    private EngineIOErrorResponse(EngineIOErrorCode code, string serverMessage, int httpStatus, string? contentType, string rawBody)
    {
        Code = code;
        ServerMessage = serverMessage;
        HttpStatus = httpStatus;
        ContentType = contentType;
        RawBody = rawBody;
    }

    /// <summary>The error code.</summary>
    public EngineIOErrorCode Code { get; }

    /// <summary>The server's message, or the documented one when the server sent none.</summary>
    public string ServerMessage { get; }

    /// <summary>The HTTP status.</summary>
    public int HttpStatus { get; }

    /// <summary>The response's content type, if any.</summary>
    public string? ContentType { get; }

    /// <summary>The body exactly as received.</summary>
    public string RawBody { get; }

    /// <summary>Creates the typed exception for this refusal.</summary>
    /// <returns>The subtype of <see cref="EngineIOHandshakeException"/> matching <see cref="Code"/>.</returns>
    public EngineIOHandshakeException ToException() => EngineIOHandshakeException.Create(Code, ServerMessage, HttpStatus, RawBody);

    /// <summary>Reads an HTTP response as an Engine.IO refusal.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="contentType">The Content-Type header, if any (only a hint: the body decides).</param>
    /// <param name="body">The body as text (empty when there was none).</param>
    /// <param name="response">The refusal, when the response is one.</param>
    /// <returns>
    /// True when the response is an Engine.IO refusal; false for a success status, or for an error that carries no
    /// Engine.IO code (e.g. a 404 from a wrong path, or a 502 from a proxy).
    /// </returns>
    public static bool TryParse(int status, string? contentType, string? body, out EngineIOErrorResponse? response)
    {
        response = null;
        body ??= string.Empty;
        if (status is >= 200 and < 300)
        {
            return false;
        }

        var trimmed = body.Trim();
        EngineIOErrorCode? code = null;
        string? message = null;
        if (trimmed.StartsWith('{'))
        {
            TryReadJson(trimmed, out code, out message);
        }
        else if (trimmed.Length > 0 && TryMatchMessage(trimmed, out var matched))
        {
            code = matched;
            message = trimmed;
        }

        // engine.io answers allowRequest refusals with 403 and no other code; anything else at 403 means the same to a client.
        if (status == 403 && code is null)
        {
            code = EngineIOErrorCode.Forbidden;
            message ??= trimmed.Length > 0 && !trimmed.StartsWith('{') && !trimmed.StartsWith('<') ? trimmed : null;
        }

        if (code is not { } found)
        {
            return false;
        }

        response = new EngineIOErrorResponse(found, message ?? EngineIOErrors.GetMessage(found), status, contentType, body);
        return true;
    }

    private static void TryReadJson(string json, out EngineIOErrorCode? code, out string? message)
    {
        code = null;
        message = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (root.TryGetProperty("code", out var codeElement))
            {
                var value = codeElement.ValueKind switch
                {
                    JsonValueKind.Number when codeElement.TryGetInt32(out var number) => number,
                    JsonValueKind.String when int.TryParse(codeElement.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
                    _ => -1,
                };
                if (value is >= (int)EngineIOErrorCode.TransportUnknown and <= (int)EngineIOErrorCode.UnsupportedProtocolVersion)
                {
                    code = (EngineIOErrorCode)value;
                }
            }

            if (root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String)
            {
                message = messageElement.GetString();
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: the caller reports the response as unrecognised.
        }
    }

    private static bool TryMatchMessage(string text, out EngineIOErrorCode code)
    {
        for (var value = EngineIOErrorCode.TransportUnknown; value <= EngineIOErrorCode.UnsupportedProtocolVersion; value++)
        {
            if (string.Equals(text, EngineIOErrors.GetMessage(value), StringComparison.OrdinalIgnoreCase))
            {
                code = value;
                return true;
            }
        }

        code = default;
        return false;
    }
}
