using System.Text.Json;
using StackExchange.Redis;
using TypedSio.Redis.Protocol;
using TypedSio.Server.SocketIO;
using TypedSio.SocketIO;

namespace TypedSio.Redis;

/// <summary>
/// Publishes to a Socket.IO cluster from a process that runs no server (the counterpart of Node's
/// <c>@socket.io/redis-emitter</c>): broadcasts to rooms, socket join / leave / disconnect, server-side events.
/// </summary>
public sealed class TypedSioRedisEmitter
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _key;
    private readonly JsonSerializerOptions? _jsonOptions;

    /// <summary>Creates an emitter for a namespace.</summary>
    /// <param name="redis">The Redis connection.</param>
    /// <param name="key">The channel prefix of the cluster (the adapters' <see cref="RedisAdapterOptions.Key"/>).</param>
    /// <param name="nsp">The namespace.</param>
    /// <param name="jsonOptions">Serializer options for argument types that are not plain JSON values.</param>
    public TypedSioRedisEmitter(IConnectionMultiplexer redis, string key = "socket.io", string nsp = "/", JsonSerializerOptions? jsonOptions = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nsp);
        _redis = redis;
        _key = key;
        _jsonOptions = jsonOptions;
        Namespace = nsp.StartsWith('/') ? nsp : "/" + nsp;
    }

    /// <summary>The namespace emitted to.</summary>
    public string Namespace { get; }

    /// <summary>The emitter of another namespace.</summary>
    /// <param name="nsp">The namespace; a leading <c>/</c> is added when missing.</param>
    /// <returns>The emitter.</returns>
    public TypedSioRedisEmitter Of(string nsp) => new(_redis, _key, nsp, _jsonOptions);

    /// <summary>Targets rooms (or socket ids).</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public TypedSioRedisBroadcastOperator To(params string[] rooms) => Operator().To(rooms);

    /// <summary>Same as <see cref="To"/>.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public TypedSioRedisBroadcastOperator In(params string[] rooms) => Operator().To(rooms);

    /// <summary>Leaves out the sockets in these rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A broadcast operator.</returns>
    public TypedSioRedisBroadcastOperator Except(params string[] rooms) => Operator().Except(rooms);

    /// <summary>Events that may be lost.</summary>
    public TypedSioRedisBroadcastOperator Volatile => Operator().Volatile;

    /// <summary>Sets whether events may be compressed.</summary>
    /// <param name="compress">Whether to compress.</param>
    /// <returns>A broadcast operator.</returns>
    public TypedSioRedisBroadcastOperator Compress(bool compress) => Operator().Compress(compress);

    /// <summary>Sends an event to every socket of the namespace, on every server.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task that completes once published.</returns>
    public Task EmitAsync(string eventName, params object?[] arguments) => Operator().EmitAsync(eventName, arguments);

    /// <summary>Makes every socket join rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsJoinAsync(params string[] rooms) => Operator().SocketsJoinAsync(rooms);

    /// <summary>Makes every socket leave rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsLeaveAsync(params string[] rooms) => Operator().SocketsLeaveAsync(rooms);

    /// <summary>Disconnects every socket.</summary>
    /// <param name="close">Whether to close their whole connections.</param>
    /// <returns>A task.</returns>
    public Task DisconnectSocketsAsync(bool close = false) => Operator().DisconnectSocketsAsync(close);

    /// <summary>Sends an event to every server of the cluster (acknowledgements are not supported, as with Node's emitter).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task.</returns>
    public Task ServerSideEmitAsync(string eventName, params object?[] arguments)
    {
        var packet = TypedSioRedisBroadcastOperator.CreateEvent(eventName, arguments, Namespace, _jsonOptions);
        var request = RedisWire.Json(json =>
        {
            json.WriteString("uid"u8, TypedSioRedisBroadcastOperator.EmitterUid);
            json.WriteNumber("type"u8, (int)RedisRequestType.ServerSideEmit);
            json.WritePropertyName("data"u8);
            RedisWire.WritePayload(json, packet);
        });
        return _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(_key + "-request#" + Namespace + "#"), request);
    }

    private TypedSioRedisBroadcastOperator Operator() =>
        new(_redis, _key, Namespace, _jsonOptions, SocketIOBroadcastOptions.All);
}

/// <summary>An immutable emitter target: rooms, exclusions and flags.</summary>
public sealed class TypedSioRedisBroadcastOperator
{
    internal const string EmitterUid = "emitter";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    private readonly IConnectionMultiplexer _redis;
    private readonly string _key;
    private readonly string _nsp;
    private readonly JsonSerializerOptions? _jsonOptions;
    private readonly SocketIOBroadcastOptions _options;

    internal TypedSioRedisBroadcastOperator(IConnectionMultiplexer redis, string key, string nsp, JsonSerializerOptions? jsonOptions, SocketIOBroadcastOptions options)
    {
        _redis = redis;
        _key = key;
        _nsp = nsp;
        _jsonOptions = jsonOptions;
        _options = options;
    }

    /// <summary>Adds target rooms (or socket ids).</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A new operator.</returns>
    public TypedSioRedisBroadcastOperator To(params string[] rooms) => With(Union(_options.Rooms, rooms), _options.Except, _options.Flags);

    /// <summary>Same as <see cref="To"/>.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A new operator.</returns>
    public TypedSioRedisBroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Leaves out the sockets in these rooms (or with these ids).</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A new operator.</returns>
    public TypedSioRedisBroadcastOperator Except(params string[] rooms) => With(_options.Rooms, Union(_options.Except, rooms), _options.Flags);

    /// <summary>The event may be lost.</summary>
    public TypedSioRedisBroadcastOperator Volatile => With(_options.Rooms, _options.Except, _options.Flags | SocketIOBroadcastFlags.Volatile);

    /// <summary>Sets whether the event may be compressed.</summary>
    /// <param name="compress">Whether to compress.</param>
    /// <returns>A new operator.</returns>
    public TypedSioRedisBroadcastOperator Compress(bool compress) =>
        With(_options.Rooms, _options.Except, compress ? _options.Flags | SocketIOBroadcastFlags.Compress : _options.Flags & ~SocketIOBroadcastFlags.Compress);

    /// <summary>Sends an event to the target sockets on every server.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>A task that completes once published.</returns>
    public Task EmitAsync(string eventName, params object?[] arguments)
    {
        var packet = CreateEvent(eventName, arguments, _nsp, _jsonOptions);
        var channel = _key + "#" + _nsp + "#" + (_options.Rooms.Count == 1 ? _options.Rooms.First() + "#" : "");
        return _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), RedisWire.EncodeBroadcast(EmitterUid, packet, _options));
    }

    /// <summary>Makes the target sockets join rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsJoinAsync(params string[] rooms) => RequestAsync(RedisRequestType.RemoteJoin, rooms, close: false);

    /// <summary>Makes the target sockets leave rooms.</summary>
    /// <param name="rooms">The rooms.</param>
    /// <returns>A task.</returns>
    public Task SocketsLeaveAsync(params string[] rooms) => RequestAsync(RedisRequestType.RemoteLeave, rooms, close: false);

    /// <summary>Disconnects the target sockets.</summary>
    /// <param name="close">Whether to close their whole connections.</param>
    /// <returns>A task.</returns>
    public Task DisconnectSocketsAsync(bool close = false) => RequestAsync(RedisRequestType.RemoteDisconnect, [], close);

    internal static SocketIOPacket CreateEvent(string eventName, object?[] arguments, string nsp, JsonSerializerOptions? jsonOptions)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (Reserved.Contains(eventName))
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
        }

        return SocketIOPacket.CreateEvent(eventName, arguments, nsp, options: jsonOptions);
    }

    private async Task RequestAsync(RedisRequestType type, string[] rooms, bool close)
    {
        ArgumentNullException.ThrowIfNull(rooms);

        // Like Node's emitter, no uid: every server, including one sharing this process, applies the request.
        var request = RedisWire.Json(json =>
        {
            json.WriteNumber("type"u8, (int)type);
            RedisWire.WriteJsonOptions(json, _options);
            if (type == RedisRequestType.RemoteDisconnect)
            {
                json.WriteBoolean("close"u8, close);
            }
            else
            {
                RedisWire.WriteJsonStrings(json, "rooms"u8, rooms);
            }
        });
        await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(_key + "-request#" + _nsp + "#"), request).ConfigureAwait(false);
    }

    private TypedSioRedisBroadcastOperator With(IReadOnlySet<string> rooms, IReadOnlySet<string> except, SocketIOBroadcastFlags flags) =>
        new(_redis, _key, _nsp, _jsonOptions, new SocketIOBroadcastOptions(rooms, except, flags));

    private static HashSet<string> Union(IReadOnlySet<string> set, string[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var result = new HashSet<string>(set, StringComparer.Ordinal);
        result.UnionWith(more);
        return result;
    }
}
