using Microsoft.AspNetCore.Builder;

namespace TypedSio.Server.EngineIO;

/// <summary>Configures the endpoint <c>MapEngineIO</c> added, and gives access to its <see cref="EngineIOServer"/>.</summary>
public sealed class EngineIOEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _inner;

    internal EngineIOEndpointConventionBuilder(IEndpointConventionBuilder inner, EngineIOServer server)
    {
        _inner = inner;
        Server = server;
    }

    /// <summary>The server handling the endpoint.</summary>
    public EngineIOServer Server { get; }

    /// <inheritdoc />
    /// <remarks>
    /// An endpoint with conventions (authorization, CORS policies, rate limits…) is never served below ASP.NET Core by
    /// <see cref="EngineIOKestrelExtensions.UseEngineIOWebSockets"/>, since that would skip what they ask for.
    /// </remarks>
    public void Add(Action<EndpointBuilder> convention)
    {
        Server.HasEndpointConventions = true;
        _inner.Add(convention);
    }

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        Server.HasEndpointConventions = true;
        _inner.Finally(finallyConvention);
    }
}
