using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TypedSio.Server.EngineIO;

/// <summary>Registers and maps Engine.IO endpoints.</summary>
public static class EngineIOExtensions
{
    /// <summary>The path the reference server listens on.</summary>
    public const string DefaultPath = "/engine.io/";

    /// <summary>Adds the Engine.IO server options (defaults for every <c>MapEngineIO</c> endpoint).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddEngineIO(this IServiceCollection services, Action<EngineIOServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<EngineIOServerDirectory>();
        var builder = services.AddOptions<EngineIOServerOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return services;
    }

    /// <summary>Serves Engine.IO at <see cref="DefaultPath"/>.</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="onConnection">Runs for each new connection; the connection is closed when it returns.</param>
    /// <returns>The endpoint's builder, holding its <see cref="EngineIOServer"/>.</returns>
    public static EngineIOEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, Func<IEngineIOConnection, Task> onConnection) =>
        MapEngineIO(endpoints, DefaultPath, onConnection);

    /// <summary>Serves Engine.IO at a path (and every path below it, as the reference does).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="path">The path, e.g. <c>/engine.io/</c>.</param>
    /// <param name="onConnection">Runs for each new connection; the connection is closed when it returns.</param>
    /// <param name="configure">Adjusts this endpoint's options after the ones from <see cref="AddEngineIO"/>.</param>
    /// <returns>The endpoint's builder, holding its <see cref="EngineIOServer"/>.</returns>
    public static EngineIOEndpointConventionBuilder MapEngineIO(
        this IEndpointRouteBuilder endpoints,
        string path,
        Func<IEngineIOConnection, Task> onConnection,
        Action<EngineIOServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(onConnection);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptionsFactory<EngineIOServerOptions>>()?.Create(Options.DefaultName) ?? new EngineIOServerOptions();
        configure?.Invoke(options);
        Validate(options);
        var server = new EngineIOServer(
            options,
            onConnection,
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<IMeterFactory>(),
            services.GetService<IHostApplicationLifetime>());

        services.GetService<EngineIOServerDirectory>()?.Add(path, server);

        // The endpoint gets its own pipeline so WebSocket requests work without the application calling UseWebSockets.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        pipeline.Run(server.HandleRequestAsync);
        var pattern = "/" + path.Trim('/') + "/{**engineIOPath}";
        var inner = endpoints.Map(pattern, pipeline.Build()).WithDisplayName("Engine.IO " + path);
        return new EngineIOEndpointConventionBuilder(inner, server);
    }

    private static void Validate(EngineIOServerOptions options)
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"EngineIOServerOptions.{name} must be positive (was {value}).");
            }
        }

        Positive(options.PingInterval, nameof(options.PingInterval));
        Positive(options.PingTimeout, nameof(options.PingTimeout));
        Positive(options.UpgradeTimeout, nameof(options.UpgradeTimeout));
        Positive(options.PollingCloseTimeout, nameof(options.PollingCloseTimeout));
        if (options.MaxHttpBufferSize <= 0 || options.MaxBufferedPackets <= 0 || options.MaxBufferedBytes <= 0 || options.MaxReceiveQueue <= 0)
        {
            throw new InvalidOperationException("EngineIOServerOptions size limits must be positive.");
        }

        if (options.Transports.Count == 0
            || options.Transports.Any(t => t is not (EngineIOTransportNames.Polling or EngineIOTransportNames.WebSocket)))
        {
            throw new InvalidOperationException("EngineIOServerOptions.Transports must name at least one of 'polling' and 'websocket', and nothing else.");
        }
    }
}
