using Microsoft.AspNetCore.Http;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// The Engine.IO parameters of a request's query (<c>transport</c>, <c>EIO</c>, <c>sid</c>), read the way
/// <see cref="HttpRequest.Query"/> reads them (keys ignore case, values are unescaped, repeated keys join with commas).
/// Every poll and POST carries them, so the usual query (plain ASCII, each key once) is read in place, without
/// building the query dictionary; anything else goes through <see cref="HttpRequest.Query"/>.
/// </summary>
internal readonly struct EngineIOQuery
{
    private EngineIOQuery(string transport, bool isV4, ReadOnlyMemory<char> sid)
    {
        Transport = transport;
        IsV4 = isV4;
        Sid = sid;
    }

    /// <summary>The <c>transport</c> value; empty when absent.</summary>
    public string Transport { get; }

    /// <summary>Whether <c>EIO</c> is exactly <c>4</c>.</summary>
    public bool IsV4 { get; }

    /// <summary>The <c>sid</c> value; empty when absent.</summary>
    public ReadOnlyMemory<char> Sid { get; }

    public static EngineIOQuery Read(HttpRequest request)
    {
        var text = request.QueryString.Value;
        return text is not null && TryReadPlain(text, out var query)
            ? query
            : new EngineIOQuery(request.Query["transport"].ToString(), request.Query["EIO"] == "4", request.Query["sid"].ToString().AsMemory());
    }

    // False when the query needs the full parser: escapes, or a parameter of ours given more than once.
    private static bool TryReadPlain(string text, out EngineIOQuery query)
    {
        query = default;
        ReadOnlyMemory<char> transport = default, eio = default, sid = default;
        bool seenTransport = false, seenEio = false, seenSid = false;
        var rest = text.AsMemory(text.StartsWith('?') ? 1 : 0);
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf('&');
            var pair = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (pair.Span.IndexOfAny('%', '+') >= 0)
            {
                return false;
            }

            var equals = pair.Span.IndexOf('=');
            var key = equals < 0 ? pair.Span : pair.Span[..equals];
            var value = equals < 0 ? default : pair[(equals + 1)..];
            if (key.Equals("transport", StringComparison.OrdinalIgnoreCase))
            {
                if (seenTransport)
                {
                    return false;
                }

                (seenTransport, transport) = (true, value);
            }
            else if (key.Equals("EIO", StringComparison.OrdinalIgnoreCase))
            {
                if (seenEio)
                {
                    return false;
                }

                (seenEio, eio) = (true, value);
            }
            else if (key.Equals("sid", StringComparison.OrdinalIgnoreCase))
            {
                if (seenSid)
                {
                    return false;
                }

                (seenSid, sid) = (true, value);
            }
        }

        var name = transport.Span switch
        {
            EngineIOTransportNames.Polling => EngineIOTransportNames.Polling,
            EngineIOTransportNames.WebSocket => EngineIOTransportNames.WebSocket,
            _ => transport.ToString(),
        };
        query = new EngineIOQuery(name, eio.Span.SequenceEqual("4"), sid);
        return true;
    }
}
