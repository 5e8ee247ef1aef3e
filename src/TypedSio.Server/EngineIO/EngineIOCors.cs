using Microsoft.AspNetCore.Http;

namespace TypedSio.Server.EngineIO;

/// <summary>CORS as the npm <c>cors</c> middleware in front of the reference server does it.</summary>
internal static class EngineIOCors
{
    /// <summary>Adds the CORS headers; returns true when the request was a preflight and has been answered.</summary>
    public static bool Apply(HttpContext context, EngineIOCorsOptions options)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        var origin = request.Headers.Origin.ToString();
        if (options.Origins.Contains("*") && options.IsOriginAllowed is null)
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            headers.Vary = "Origin";
            if (origin.Length > 0 && (options.Origins.Contains(origin) || options.Origins.Contains("*") || options.IsOriginAllowed?.Invoke(origin) == true))
            {
                headers.AccessControlAllowOrigin = origin;
            }
        }

        if (options.Credentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (!HttpMethods.IsOptions(request.Method))
        {
            if (options.ExposedHeaders is { } exposed)
            {
                headers.AccessControlExposeHeaders = exposed;
            }

            return false;
        }

        headers.AccessControlAllowMethods = options.Methods;
        if (options.AllowedHeaders is { } allowed)
        {
            headers.AccessControlAllowHeaders = allowed;
        }
        else if (request.Headers.AccessControlRequestHeaders.Count > 0)
        {
            headers.AccessControlAllowHeaders = request.Headers.AccessControlRequestHeaders;
            headers.Append("Vary", "Access-Control-Request-Headers");
        }

        if (options.MaxAge is { } maxAge)
        {
            headers.AccessControlMaxAge = ((long)maxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
        return true;
    }
}
