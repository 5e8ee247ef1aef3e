using System.Text.Json;
using TypedSio.EngineIO;

namespace TypedSio.Protocol.Tests.Errors;

public sealed class EngineIOErrorResponseTests
{
    [Theory]
    [InlineData(400, """{"code":0,"message":"Transport unknown"}""", EngineIOErrorCode.TransportUnknown, "Transport unknown")]
    [InlineData(400, """{"code":1,"message":"Session ID unknown"}""", EngineIOErrorCode.SessionIdUnknown, "Session ID unknown")]
    [InlineData(400, """{"code":2,"message":"Bad handshake method"}""", EngineIOErrorCode.BadHandshakeMethod, "Bad handshake method")]
    [InlineData(400, """{"code":3,"message":"Bad request"}""", EngineIOErrorCode.BadRequest, "Bad request")]
    [InlineData(403, """{"code":4,"message":"not today"}""", EngineIOErrorCode.Forbidden, "not today")]
    [InlineData(400, """{"code":5,"message":"Unsupported protocol version"}""", EngineIOErrorCode.UnsupportedProtocolVersion, "Unsupported protocol version")]
    public void TryParse_JsonWithNumericCode_ReadsCodeAndMessage(int status, string body, EngineIOErrorCode code, string message)
    {
        Assert.True(EngineIOErrorResponse.TryParse(status, "application/json", body, out var response));
        Assert.Equal(code, response!.Code);
        Assert.Equal(message, response.ServerMessage);
        Assert.Equal(status, response.HttpStatus);
        Assert.Equal(body, response.RawBody);
    }

    [Fact]
    public void TryParse_JsonWithStringCode_ReadsCode()
    {
        Assert.True(EngineIOErrorResponse.TryParse(400, "application/json", """{"code":"1","message":"Session ID unknown"}""", out var response));
        Assert.Equal(EngineIOErrorCode.SessionIdUnknown, response!.Code);
    }

    [Fact]
    public void TryParse_JsonWithoutMessage_UsesDocumentedMessage()
    {
        Assert.True(EngineIOErrorResponse.TryParse(400, null, """{"code":3}""", out var response));
        Assert.Equal("Bad request", response!.ServerMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Forbidden")]
    [InlineData("<html><body>nope</body></html>")]
    public void TryParse_403WithoutJson_IsForbidden(string body)
    {
        Assert.True(EngineIOErrorResponse.TryParse(403, "text/html", body, out var response));
        Assert.Equal(EngineIOErrorCode.Forbidden, response!.Code);
        Assert.Equal("Forbidden", response.ServerMessage);
    }

    [Theory]
    [InlineData("Transport unknown", EngineIOErrorCode.TransportUnknown)]
    [InlineData("Session ID unknown", EngineIOErrorCode.SessionIdUnknown)]
    [InlineData("Bad request", EngineIOErrorCode.BadRequest)]
    [InlineData("Unsupported protocol version\n", EngineIOErrorCode.UnsupportedProtocolVersion)]
    public void TryParse_PlainTextUpgradeRefusal_MatchesDocumentedMessage(string body, EngineIOErrorCode code)
    {
        Assert.True(EngineIOErrorResponse.TryParse(400, "text/html", body, out var response));
        Assert.Equal(code, response!.Code);
        Assert.Equal(body, response.RawBody);
    }

    [Theory]
    [InlineData(200, """{"code":1}""")]
    [InlineData(404, "Cannot GET /socket.io/")]
    [InlineData(400, """{"code":9,"message":"??"}""")]
    [InlineData(400, """{"code":"x"}""")]
    [InlineData(400, "{not json")]
    [InlineData(502, "")]
    public void TryParse_NotAnEngineIOError_ReturnsFalse(int status, string body)
    {
        Assert.False(EngineIOErrorResponse.TryParse(status, null, body, out var response));
        Assert.Null(response);
    }

    [Theory]
    [InlineData(EngineIOErrorCode.TransportUnknown, typeof(EngineIOTransportUnknownException))]
    [InlineData(EngineIOErrorCode.SessionIdUnknown, typeof(EngineIOSessionIdUnknownException))]
    [InlineData(EngineIOErrorCode.BadHandshakeMethod, typeof(EngineIOBadHandshakeMethodException))]
    [InlineData(EngineIOErrorCode.BadRequest, typeof(EngineIOBadRequestException))]
    [InlineData(EngineIOErrorCode.Forbidden, typeof(EngineIOForbiddenException))]
    [InlineData(EngineIOErrorCode.UnsupportedProtocolVersion, typeof(EngineIOUnsupportedProtocolVersionException))]
    public void ToException_EachCode_HasItsOwnTypeAndExplainsItself(EngineIOErrorCode code, Type type)
    {
        var body = $$"""{"code":{{(int)code}},"message":"m"}""";
        Assert.True(EngineIOErrorResponse.TryParse(EngineIOErrors.GetHttpStatus(code), null, body, out var response));
        var exception = response!.ToException();
        Assert.IsType(type, exception);
        Assert.Equal(code, exception.Code);
        Assert.Equal(body, exception.RawBody);
        Assert.Contains("Likely cause:", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Check:", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.WillRetry);
    }

    [Fact]
    public void NamespaceRefused_WithData_ReadsTypedData()
    {
        using var document = JsonDocument.Parse("""{"reason":"banned","retryAfter":30}""");
        var exception = new NamespaceRefusedException("/admin", "not authorized", document.RootElement);
        var data = exception.GetServerData(ErrorTestJsonContext.Default.RefusalData);
        Assert.Equal("banned", data!.Reason);
        Assert.Equal(30, data.RetryAfter);
        Assert.Contains("middleware", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamespaceRefused_InvalidNamespace_PointsAtTheNamespace()
    {
        var exception = new NamespaceRefusedException("/nope", "Invalid namespace");
        Assert.Null(exception.ServerData);
        Assert.Null(exception.GetServerData(ErrorTestJsonContext.Default.RefusalData));
        Assert.Contains("no namespace with this name", exception.Message, StringComparison.Ordinal);
    }
}
