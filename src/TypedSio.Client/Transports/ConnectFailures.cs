using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace TypedSio.Client.Transports;

/// <summary>Turns the exceptions of HttpClient and ClientWebSocket into the typed connect errors.</summary>
internal static class ConnectFailures
{
    /// <summary>The typed error for a failure to reach the server, or null when the exception is not one.</summary>
    public static ConnectErrorException? Map(Exception exception, TransportContext context)
    {
        if (exception is ConnectErrorException typed)
        {
            return typed;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException)
            {
                // When the client's own check saw no bad certificate, the handshake failed for another reason, typically
                // no TLS on that port. A user-supplied handler's check is invisible here, so its failures stay certificate ones.
                var rejection = context.CertificateValidator.LastRejection;
                return rejection is not null || !context.ValidatesCertificates
                    ? new TlsCertificateRejectedException(context.Host, rejection?.Certificate, rejection?.Errors ?? default, rejection?.ChainStatus, exception)
                    : new ServerProtocolViolationException(
                        $"the TLS handshake with {context.Host}:{context.Port} failed ({current.Message}); the port may not speak TLS (http:// vs https://).",
                        exception);
            }
        }

        if (context.ProxyUri is { } proxy)
        {
            // Through a proxy the client only ever connects to the proxy, so a connection or tunnel failure is the proxy's.
            for (var current = exception; current is not null; current = current.InnerException)
            {
                if (current is HttpRequestException { HttpRequestError: HttpRequestError.ProxyTunnelError or HttpRequestError.ConnectionError } failure)
                {
                    return new ProxyFailedException(proxy, failure.StatusCode is { } status ? (int)status : null, exception);
                }
            }
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException or IOException
                || current is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError })
            {
                return new ServerUnreachableException(context.Host, context.Port, exception);
            }
        }

        return null;
    }

    /// <summary>Reads a non-success response as a typed refusal.</summary>
    public static ConnectErrorException FromResponse(int status, string? contentType, string body, TransportContext context) =>
        status == 407 && context.ProxyUri is { } proxy
            ? new ProxyFailedException(proxy, status)
            : TypedSio.EngineIOErrorResponse.TryParse(status, contentType, body, out var refusal)
            ? refusal!.ToException()
            : new UnexpectedHttpResponseException(status, contentType, body);
}
