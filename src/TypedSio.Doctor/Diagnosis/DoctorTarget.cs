using System.Globalization;

namespace TypedSio.Doctor.Diagnosis;

/// <summary>The endpoint as the checks see it: where the server is, its Engine.IO path and the namespace.</summary>
internal sealed record DoctorTarget(string Scheme, string Host, int Port, string Path, string Namespace, string OriginalQuery)
{
    /// <summary>The default path of Socket.IO servers.</summary>
    public const string DefaultPath = "/socket.io/";

    public bool Secure => Scheme == "https";

    /// <summary>The Engine.IO endpoint, e.g. <c>https://example.com/socket.io/</c>.</summary>
    public Uri EndpointUri => Build(Scheme, string.Empty);

    /// <summary>An Engine.IO request URL over HTTP(S) with the given query (the user's query comes first).</summary>
    public Uri Http(string query) => Build(Scheme, Join(query));

    /// <summary>An Engine.IO request URL over ws/wss with the given query.</summary>
    public Uri WebSocket(string query) => Build(Secure ? "wss" : "ws", Join(query));

    /// <summary>The server's address without a path, as the Engine.IO client options take it.</summary>
    public Uri ServerUri => new UriBuilder(Scheme, Host, Port) { Query = OriginalQuery }.Uri;

    /// <summary>
    /// Reads what the user typed. Like <c>io(url)</c>, a path in the URL names the namespace unless it is the Engine.IO
    /// path itself; a URL without a scheme means http.
    /// </summary>
    public static bool TryParse(string url, string? path, string? nsp, out DoctorTarget? target, out string problem, out List<string> notes)
    {
        target = null;
        notes = [];
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
            notes.Add("no scheme given: using http://");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"'{url}' is not a valid URL.";
            return false;
        }

        var scheme = uri.Scheme switch
        {
            "http" or "ws" => "http",
            "https" or "wss" => "https",
            _ => null,
        };
        if (scheme is null)
        {
            problem = $"the scheme '{uri.Scheme}' is not one Socket.IO uses (http, https, ws, wss).";
            return false;
        }

        var enginePath = Normalize(path ?? DefaultPath);
        var urlPath = uri.AbsolutePath;
        var @namespace = nsp ?? "/";
        if (urlPath.Length > 1)
        {
            if (Normalize(urlPath).StartsWith(enginePath, StringComparison.Ordinal))
            {
                notes.Add($"the URL contains the Engine.IO path {enginePath}: io() takes a namespace there, the path goes in the 'path' option");
            }
            else if (path is null && Normalize(urlPath).EndsWith("/socket.io/", StringComparison.Ordinal))
            {
                enginePath = Normalize(urlPath);
                notes.Add($"using {enginePath} from the URL as the Engine.IO path (the 'path' option)");
            }
            else if (nsp is null)
            {
                @namespace = urlPath.TrimEnd('/');
                notes.Add($"the URL's path {@namespace} is the namespace, as in io(url); the Engine.IO path stays {enginePath}");
            }
            else
            {
                notes.Add($"the URL's path {urlPath} is ignored: --namespace {nsp} names the namespace");
            }
        }

        if (!@namespace.StartsWith('/'))
        {
            @namespace = "/" + @namespace;
        }

        target = new DoctorTarget(scheme, uri.IdnHost, uri.Port, enginePath, @namespace, uri.Query.TrimStart('?'));
        problem = string.Empty;
        return true;
    }

    private Uri Build(string scheme, string query) =>
        new UriBuilder(scheme, Host, Port, Path) { Query = query }.Uri;

    private string Join(string query) => OriginalQuery.Length == 0 ? query : OriginalQuery + "&" + query;

    private static string Normalize(string path)
    {
        var trimmed = path.Trim('/');
        return trimmed.Length == 0 ? "/" : string.Create(CultureInfo.InvariantCulture, $"/{trimmed}/");
    }
}
