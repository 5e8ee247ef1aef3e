using System.Text;
using TypedSio.EngineIO;

namespace TypedSio.Doctor.Diagnosis;

internal sealed partial class EndpointDoctor
{
    private async Task<CheckResult> CheckProtocolVersionAsync(CancellationToken cancellationToken)
    {
        const string Id = "protocol", Title = "Protocol version";
        var v4 = _handshake is not null;
        var v4Refused = _pollingRefusal == EngineIOErrorCode.UnsupportedProtocolVersion;
        if (!v4 && !v4Refused)
        {
            return new CheckResult(Id, Title, CheckVerdict.Skip, "cannot compare versions without a polling handshake");
        }

        // Socket.IO v2 servers speak Engine.IO 3 only; v3/v4 servers speak 4, and 3 as well with allowEIO3.
        var answer = await GetAsync(_target.Http("EIO=3&transport=polling&b64=1&t=doctor4"), cancellationToken);
        EngineIOHandshake? v3Handshake = null;
        var v3 = answer.IsSuccess && TryReadHandshake(answer.Body, EngineIOPayloadFormat.V3Text, out v3Handshake, out _);
        if (v3)
        {
            using var close = new HttpRequestMessage(HttpMethod.Post, _target.Http($"EIO=3&transport=polling&b64=1&t=doctor5&sid={Uri.EscapeDataString(v3Handshake!.Sid)}"))
            {
                Content = new StringContent("1:1", Encoding.UTF8, "text/plain"),
            };
            await SendAsync(close, cancellationToken);
        }

        var v3Refused = EngineIOErrorResponse.TryParse(answer.Status, answer.ContentType, answer.Body, out var refusal)
            && refusal!.Code == EngineIOErrorCode.UnsupportedProtocolVersion;
        switch (v4, v3)
        {
            case (true, true):
                return new CheckResult(Id, Title, CheckVerdict.Pass, "Engine.IO 4 and 3: a Socket.IO v3/v4 server with allowEIO3 (Socket.IO v2 clients can connect too)");
            case (true, false):
                return new CheckResult(Id, Title, CheckVerdict.Pass,
                    v3Refused ? "Engine.IO 4 only: a Socket.IO v3/v4 server (Socket.IO v2 clients are refused: allowEIO3 is off)"
                    : "Engine.IO 4: a Socket.IO v3/v4 server");
            case (false, true):
                StopAfter("the server speaks Engine.IO 3 only (Socket.IO v2); the later checks need Engine.IO 4.");
                return new CheckResult(Id, Title, CheckVerdict.Fail, "Engine.IO 3 only: a Socket.IO v2 server, which Socket.IO v3/v4 clients cannot talk to")
                {
                    Cause = "the server runs Socket.IO 2.x (Engine.IO protocol 3) and refuses EIO=4 with error 5.",
                    Fix = "upgrade the server to Socket.IO v4 (optionally with allowEIO3: true during the migration), or connect with a v2-compatible client (socket.io-client 2.x; TypedSio: ProtocolVersion = V3).",
                };
            default:
                StopAfter("the server speaks neither Engine.IO 4 nor 3.");
                return new CheckResult(Id, Title, CheckVerdict.Fail, $"refuses Engine.IO 4 with error 5 and answers Engine.IO 3 with HTTP {answer.Status}")
                {
                    Cause = "a server that speaks neither protocol version, or one whose allowRequest refuses old clients.",
                    Fix = "check the server's Socket.IO version and options.",
                };
        }
    }
}
