using System.IO.Compression;
using System.Net;
using System.Text;
using TypedSio.EngineIO;
using TypedSio.Server.EngineIO;
using TypedSio.Server.Tests.Support;

namespace TypedSio.Server.Tests;

public sealed class HandshakeErrorTests
{
    [Theory]
    [InlineData("GET", "EIO=4&transport=carrier-pigeon", 400, 0, "Transport unknown")]
    [InlineData("GET", "EIO=4", 400, 0, "Transport unknown")]
    [InlineData("GET", "EIO=4&transport=polling&sid=nope", 400, 1, "Session ID unknown")]
    [InlineData("POST", "EIO=4&transport=polling", 400, 2, "Bad handshake method")]
    [InlineData("GET", "EIO=4&transport=websocket", 400, 3, "Bad request")]
    [InlineData("GET", "EIO=3&transport=polling", 400, 5, "Unsupported protocol version")]
    [InlineData("GET", "transport=polling", 400, 5, "Unsupported protocol version")]
    public async Task Request_Invalid_AnswersReferenceErrorJson(string method, string query, int status, int code, string message)
    {
        await using var server = await EngineIOTestServer.StartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), server.Url(query));
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"{{\"code\":{code},\"message\":\"{message}\"}}", await response.Content.ReadAsStringAsync());
        var error = Assert.Single(server.Errors);
        Assert.Equal((EngineIOErrorCode)code, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal(0, server.Server.ClientsCount);
    }

    [Fact]
    public async Task Handshake_TransportNotOffered_AnswersTransportUnknown()
    {
        await using var server = await EngineIOTestServer.StartAsync(o =>
        {
            o.Transports.Clear();
            o.Transports.Add(EngineIOTransportNames.WebSocket);
        });

        using var response = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":0,\"message\":\"Transport unknown\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Handshake_AllowRequestRefuses_Answers403WithItsMessage()
    {
        await using var server = await EngineIOTestServer.StartAsync(o =>
            o.AllowRequest = async context =>
            {
                await Task.Yield();
                return context.Request.Headers.ContainsKey("X-Token") ? (true, null) : (false, "no \"token\"");
            });

        using var refused = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url("EIO=4&transport=polling"));
        request.Headers.Add("X-Token", "1");
        using var allowed = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("{\"code\":4,\"message\":\"no \\\"token\\\"\"}", await refused.Content.ReadAsStringAsync());
        Assert.Equal(EngineIOErrorCode.Forbidden, Assert.Single(server.Errors).Code);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Handshake_AllowRequestRefusesWithoutMessage_AnswersForbidden()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowRequest = _ => ValueTask.FromResult<(bool, string?)>((false, null)));

        using var refused = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("{\"code\":4,\"message\":\"Forbidden\"}", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_WebSocketAfterPollingSession_PollingGetsTransportMismatch()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();

        using var response = await server.Http.GetAsync(server.Url($"EIO=4&transport=websocket&sid={client.Sid}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"code\":3,\"message\":\"Bad request\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("TRANSPORT_MISMATCH", Assert.Single(server.Errors).Detail);
    }

    [Fact]
    public async Task Request_ProtocolChangesMidSession_AnswersBadRequest()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.AllowEIO3 = true);
        var client = new PollingClient(server);
        await client.HandshakeAsync();

        using var response = await server.Http.GetAsync(server.Url($"EIO=3&transport=polling&sid={client.Sid}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("PROTOCOL_MISMATCH", Assert.Single(server.Errors).Detail);
    }

    [Fact]
    public async Task Cors_Preflight_Answers204WithAllowHeaders()
    {
        await using var server = await EngineIOTestServer.StartAsync(o =>
        {
            o.Cors = new EngineIOCorsOptions { Credentials = true };
            o.Cors.Origins.Add("https://app.example");
        });
        using var request = new HttpRequestMessage(HttpMethod.Options, server.Url("EIO=4&transport=polling"));
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Equal("GET,HEAD,PUT,PATCH,POST,DELETE", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal(0, server.Server.ClientsCount);
    }

    [Fact]
    public async Task Cors_OriginNotAllowed_NoAllowOriginHeader()
    {
        await using var server = await EngineIOTestServer.StartAsync(o =>
        {
            o.Cors = new EngineIOCorsOptions { IsOriginAllowed = origin => origin.EndsWith(".good.example", StringComparison.Ordinal) };
        });

        using var bad = new HttpRequestMessage(HttpMethod.Get, server.Url("EIO=4&transport=polling"));
        bad.Headers.Add("Origin", "https://evil.example");
        using var badResponse = await server.Http.SendAsync(bad);
        using var good = new HttpRequestMessage(HttpMethod.Get, server.Url("EIO=4&transport=polling"));
        good.Headers.Add("Origin", "https://a.good.example");
        using var goodResponse = await server.Http.SendAsync(good);

        Assert.False(badResponse.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("https://a.good.example", goodResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Cors_AnyOrigin_AddsStarToErrorsToo()
    {
        await using var server = await EngineIOTestServer.StartAsync(o =>
        {
            o.Cors = new EngineIOCorsOptions();
            o.Cors.Origins.Add("*");
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url("EIO=4&transport=nope"));
        request.Headers.Add("Origin", "https://x.example");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Cookie_Enabled_SetOnPollingHandshakeOnly()
    {
        await using var server = await EngineIOTestServer.StartAsync(o => o.Cookie = new EngineIOCookieOptions());
        using var response = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));
        var body = await response.Content.ReadAsStringAsync();
        var sid = body[9..29];

        Assert.Equal($"io={sid}; Path=/; HttpOnly; SameSite=Lax", response.Headers.GetValues("Set-Cookie").Single());
        var client = new PollingClient(server);
        await client.HandshakeAsync();
    }

    [Fact]
    public async Task Cookie_Default_NotSent()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        using var response = await server.Http.GetAsync(server.Url("EIO=4&transport=polling"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("deflate", "deflate")]
    [InlineData("deflate;q=1, gzip;q=0.5", "deflate")]
    [InlineData("br", null)]
    public async Task Poll_LargePayload_CompressedAsAccepted(string acceptEncoding, string? expected)
    {
        await using var server = await EngineIOTestServer.StartAsync();
        var client = new PollingClient(server);
        await client.HandshakeAsync();
        var connection = await server.NextConnectionAsync();
        var big = new string('z', 5000);
        await connection.SendAsync(EngineIOMessage.Text(big));

        using var request = new HttpRequestMessage(HttpMethod.Get, client.SessionUrl);
        request.Headers.Add("Accept-Encoding", acceptEncoding);
        using var response = await server.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Stream body = new MemoryStream(bytes);
        body = expected switch
        {
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            "deflate" => new ZLibStream(body, CompressionMode.Decompress),
            _ => body,
        };
        using var text = new StreamReader(body, Encoding.UTF8);
        Assert.Equal("4" + big, await text.ReadToEndAsync());
    }

    [Fact]
    public async Task Poll_SmallPayload_NotCompressed()
    {
        await using var server = await EngineIOTestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url("EIO=4&transport=polling"));
        request.Headers.Add("Accept-Encoding", "gzip");

        using var response = await server.Http.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.StartsWith("0{", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
