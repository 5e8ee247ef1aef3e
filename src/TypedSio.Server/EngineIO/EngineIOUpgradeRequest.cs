using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace TypedSio.Server.EngineIO;

/// <summary>
/// The first request on a connection, read by <see cref="EngineIOConnectionMiddleware"/> when it is a plain HTTP/1.1
/// WebSocket upgrade. Anything unusual (another method or version, a malformed line, escapes in the path, a header block
/// not complete in the first read) is not parsed at all: the connection then goes to ASP.NET Core untouched, which
/// answers it exactly as it would without this path.
/// </summary>
internal sealed class EngineIOUpgradeRequest
{
    private const int MaxHeaderBlock = 16 * 1024;

    private EngineIOUpgradeRequest(string path, Dictionary<string, StringValues> query, KeyValuePair<string, StringValues>[] headers, string key)
    {
        Path = path;
        Query = query;
        Headers = headers;
        Key = key;
    }

    /// <summary>The request path (no escapes).</summary>
    public string Path { get; }

    /// <summary>The unescaped query parameters (keys ignore case; repeated keys hold every value).</summary>
    public Dictionary<string, StringValues> Query { get; }

    /// <summary>The headers, one entry per name (repeated names hold every value).</summary>
    public KeyValuePair<string, StringValues>[] Headers { get; }

    /// <summary>The client's <c>Sec-WebSocket-Key</c>, valid.</summary>
    public string Key { get; }

    /// <summary>Whether the client offered <c>permessage-deflate</c> (only the ASP.NET Core path can accept it).</summary>
    public bool OffersDeflate { get; private init; }

    /// <summary>Parses a complete WebSocket upgrade request at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">What the connection has sent so far.</param>
    /// <param name="length">The request's size in bytes (its header block).</param>
    /// <returns>The request, or null when this path should not take the connection.</returns>
    public static EngineIOUpgradeRequest? TryParse(in ReadOnlySequence<byte> buffer, out long length)
    {
        length = 0;
        var reader = new SequenceReader<byte>(buffer.Length > MaxHeaderBlock ? buffer.Slice(0, MaxHeaderBlock) : buffer);
        if (!reader.IsNext("GET /"u8) || !reader.TryReadTo(out ReadOnlySequence<byte> block, "\r\n\r\n"u8))
        {
            return null;
        }

        foreach (var segment in block)
        {
            // Only visible ASCII, spaces, tabs and line ends: anything else is for Kestrel's parser to refuse.
            if (segment.Span.IndexOfAnyExcept(AllowedBytes) >= 0)
            {
                return null;
            }
        }

        var text = Encoding.ASCII.GetString(block);
        var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        var requestLine = lineEnd < 0 ? text : text[..lineEnd];
        if (!requestLine.EndsWith(" HTTP/1.1", StringComparison.Ordinal) || text.Contains('\n') && BareLineFeed(text))
        {
            return null;
        }

        var target = requestLine["GET ".Length..^" HTTP/1.1".Length];
        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        if (path.AsSpan().IndexOfAny("% #") >= 0)
        {
            return null;
        }

        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        for (var start = lineEnd + 2; lineEnd >= 0 && start < text.Length;)
        {
            var end = text.IndexOf("\r\n", start, StringComparison.Ordinal);
            var line = end < 0 ? text[start..] : text[start..end];
            start = end < 0 ? text.Length : end + 2;
            var colon = line.IndexOf(':');
            if (colon <= 0 || line.AsSpan(0, colon).IndexOfAny(" \t") >= 0)
            {
                return null; // folded or malformed header lines
            }

            var name = Intern(line.AsSpan(0, colon));
            var value = Intern(line.AsSpan(colon + 1).Trim(" \t"));
            headers[name] = headers.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }

        if (!headers.TryGetValue("Host", out var host) || host.Count != 1
            || !HasToken(headers, "Upgrade", "websocket")
            || !HasToken(headers, "Connection", "upgrade")
            || !headers.TryGetValue("Sec-WebSocket-Version", out var version) || version != "13"
            || !headers.TryGetValue("Sec-WebSocket-Key", out var key) || key.Count != 1 || !WebSocketFraming.IsValidKey(key.ToString())
            || headers.ContainsKey("Content-Length") || headers.ContainsKey("Transfer-Encoding"))
        {
            return null;
        }

        length = reader.Consumed;
        var query = question < 0 ? new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase) : QueryHelpers.ParseQuery(target[question..]);
        return new EngineIOUpgradeRequest(path, query, [.. headers], key.ToString())
        {
            OffersDeflate = HasToken(headers, "Sec-WebSocket-Extensions", "permessage-deflate"),
        };
    }

    // Names and values every WebSocket handshake repeats: each connection keeps its request's headers for its whole
    // life, so these are shared rather than copied once per connection.
    private static readonly string[] CommonStrings =
    [
        "Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Protocol", "User-Agent", "Origin", "Cookie", "Accept-Encoding", "Accept-Language", "Pragma",
        "Cache-Control", "Authorization", "websocket", "upgrade", "13", "no-cache", "gzip, deflate, br",
        "permessage-deflate; client_max_window_bits", "Keep-Alive, Upgrade", "keep-alive, Upgrade", "EIO", "4",
        "transport", "sid",
    ];

    /// <summary>The query parameters as pairs, with the common names and values shared.</summary>
    public KeyValuePair<string, StringValues>[] QueryPairs() =>
        [.. Query.Select(p => KeyValuePair.Create(Intern(p.Key), p.Value.Count == 1 ? new StringValues(Intern(p.Value.ToString())) : p.Value))];

    private static string Intern(ReadOnlySpan<char> text)
    {
        foreach (var common in CommonStrings)
        {
            if (text.SequenceEqual(common))
            {
                return common;
            }
        }

        return text.ToString();
    }

    private static readonly SearchValues<byte> AllowedBytes = SearchValues.Create([(byte)'\t', (byte)'\r', (byte)'\n', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);

    private static bool BareLineFeed(string text)
    {
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            if (i == 0 || text[i - 1] != '\r')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a comma-separated header holds a token (ignoring case, and any parameters after it).</summary>
    private static bool HasToken(Dictionary<string, StringValues> headers, string name, string token)
    {
        if (!headers.TryGetValue(name, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            foreach (var item in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                var semicolon = item.IndexOf(';');
                if ((semicolon < 0 ? item : item[..semicolon].TrimEnd()).Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
