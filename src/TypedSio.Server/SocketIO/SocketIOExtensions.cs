using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedSio.Server.EngineIO;

namespace TypedSio.Server.SocketIO;

/// <summary>Registers and maps Socket.IO endpoints.</summary>
public static class SocketIOExtensions
{
    /// <summary>The path the reference server listens on.</summary>
    public const string DefaultPath = "/socket.io/";

    /// <summary>Adds the Socket.IO server options (and the Engine.IO ones).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets Socket.IO options.</param>
    /// <param name="configureEngine">Sets Engine.IO options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSocketIO(
        this IServiceCollection services,
        Action<SocketIOServerOptions>? configure = null,
        Action<EngineIOServerOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddEngineIO(configureEngine);
        var builder = services.AddOptions<SocketIOServerOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return services;
    }

    /// <summary>Serves Socket.IO at a path (default <c>/socket.io/</c>).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="path">The path.</param>
    /// <param name="configure">Adjusts this endpoint's Socket.IO options.</param>
    /// <param name="configureEngine">Adjusts this endpoint's Engine.IO options.</param>
    /// <returns>A builder to declare namespaces on, holding the <see cref="SocketIOServer"/>.</returns>
    public static SocketIOEndpointBuilder MapSocketIO(
        this IEndpointRouteBuilder endpoints,
        string path = DefaultPath,
        Action<SocketIOServerOptions>? configure = null,
        Action<EngineIOServerOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(path);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptionsFactory<SocketIOServerOptions>>()?.Create(Options.DefaultName) ?? new SocketIOServerOptions();
        configure?.Invoke(options);
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"SocketIOServerOptions.ConnectTimeout must be positive (was {options.ConnectTimeout}).");
        }

        var engineOptions = services.GetService<IOptionsFactory<EngineIOServerOptions>>()?.Create(Options.DefaultName) ?? new EngineIOServerOptions();
        configureEngine?.Invoke(engineOptions);
        var time = options.TimeProvider ?? engineOptions.TimeProvider ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(SocketIOLog.Category) ?? NullLogger.Instance;
        var server = new SocketIOServer(options, time, new SocketIOLog(logger), new SocketIOMetrics(services.GetService<IMeterFactory>()));
        var inner = endpoints.MapEngineIO(path, server.HandleConnectionAsync, o =>
        {
            configureEngine?.Invoke(o);
            o.TimeProvider ??= options.TimeProvider;
        });
        server.Engine = inner.Server;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => server.OnStoppingAsync().GetAwaiter().GetResult());
        return new SocketIOEndpointBuilder(inner, server, services);
    }
}

/// <summary>The endpoint <c>MapSocketIO</c> added: declare namespaces on it, and apply endpoint conventions.</summary>
public sealed class SocketIOEndpointBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _inner;

    internal SocketIOEndpointBuilder(IEndpointConventionBuilder inner, SocketIOServer server, IServiceProvider services)
    {
        _inner = inner;
        Server = server;
        Services = services;
    }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The Socket.IO server.</summary>
    public SocketIOServer Server { get; }

    /// <summary>Declares a namespace.</summary>
    /// <param name="name">The name, e.g. <c>/chat</c>.</param>
    /// <param name="configure">Configures it.</param>
    /// <returns>This builder.</returns>
    public SocketIOEndpointBuilder Of(string name, Action<SocketIONamespace> configure)
    {
        Server.Of(name, configure);
        return this;
    }

    /// <summary>Accepts namespaces chosen by a predicate on the name and the auth payload.</summary>
    /// <param name="predicate">The predicate.</param>
    /// <param name="configure">Configures each accepted namespace.</param>
    /// <returns>This builder.</returns>
    public SocketIOEndpointBuilder Of(Func<string, System.Text.Json.JsonElement, bool> predicate, Action<SocketIONamespace> configure)
    {
        Server.Of(predicate, configure);
        return this;
    }

    /// <summary>Accepts namespaces whose name matches a pattern.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="configure">Configures each accepted namespace.</param>
    /// <returns>This builder.</returns>
    public SocketIOEndpointBuilder Of(System.Text.RegularExpressions.Regex pattern, Action<SocketIONamespace> configure)
    {
        Server.Of(pattern, configure);
        return this;
    }

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention) => _inner.Add(convention);

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention) => _inner.Finally(finallyConvention);
}
