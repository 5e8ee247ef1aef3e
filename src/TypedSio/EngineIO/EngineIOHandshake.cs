using System.Buffers;
using System.Text.Json;

namespace TypedSio.EngineIO;

/// <summary>The data of the <c>open</c> packet that starts every Engine.IO session.</summary>
/// <param name="Sid">The session id.</param>
/// <param name="Upgrades">The transports the client may upgrade to (e.g. <c>websocket</c>).</param>
/// <param name="PingInterval">How often the server pings.</param>
/// <param name="PingTimeout">How long the server waits for the pong.</param>
/// <param name="MaxPayload">The most bytes the server accepts in one request, or null when not announced (v3).</param>
public sealed record EngineIOHandshake(
    string Sid,
    IReadOnlyList<string> Upgrades,
    TimeSpan PingInterval,
    TimeSpan PingTimeout,
    long? MaxPayload)
{
    /// <summary>Writes the handshake JSON in the reference server's field order.</summary>
    /// <param name="output">Where to write.</param>
    public void WriteTo(IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("sid"u8, Sid);
        writer.WriteStartArray("upgrades"u8);
        foreach (var upgrade in Upgrades)
        {
            writer.WriteStringValue(upgrade);
        }

        writer.WriteEndArray();
        writer.WriteNumber("pingInterval"u8, (long)PingInterval.TotalMilliseconds);
        writer.WriteNumber("pingTimeout"u8, (long)PingTimeout.TotalMilliseconds);
        if (MaxPayload is { } maxPayload)
        {
            writer.WriteNumber("maxPayload"u8, maxPayload);
        }

        writer.WriteEndObject();
    }

    /// <summary>Creates the <c>open</c> packet carrying this handshake.</summary>
    /// <returns>The packet.</returns>
    public EngineIOPacket ToPacket()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        WriteTo(buffer);
        return EngineIOPacket.Text(EngineIOPacketType.Open, buffer.WrittenMemory);
    }

    /// <summary>Reads the handshake JSON of an <c>open</c> packet.</summary>
    /// <param name="json">The packet data.</param>
    /// <param name="handshake">The handshake, when valid.</param>
    /// <param name="problem">What is wrong with it, when not.</param>
    /// <returns>True when the handshake is valid.</returns>
    public static bool TryParse(in ReadOnlySequence<byte> json, out EngineIOHandshake? handshake, out string? problem)
    {
        handshake = null;
        string? sid = null;
        List<string>? upgrades = null;
        long? pingInterval = null, pingTimeout = null, maxPayload = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "the handshake is not a JSON object";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("sid"u8))
                {
                    reader.Read();
                    sid = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("upgrades"u8))
                {
                    reader.Read();
                    upgrades = ReadStrings(ref reader);
                }
                else if (reader.ValueTextEquals("pingInterval"u8))
                {
                    pingInterval = ReadInteger(ref reader);
                }
                else if (reader.ValueTextEquals("pingTimeout"u8))
                {
                    pingTimeout = ReadInteger(ref reader);
                }
                else if (reader.ValueTextEquals("maxPayload"u8))
                {
                    maxPayload = ReadInteger(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException exception)
        {
            problem = "the handshake is not valid JSON: " + exception.Message;
            return false;
        }

        problem = sid is null ? "the handshake has no string 'sid'"
            : pingInterval is null or < 0 ? "the handshake has no valid 'pingInterval'"
            : pingTimeout is null or < 0 ? "the handshake has no valid 'pingTimeout'"
            : null;
        if (problem is not null)
        {
            return false;
        }

        handshake = new EngineIOHandshake(
            sid!,
            upgrades ?? [],
            TimeSpan.FromMilliseconds(pingInterval!.Value),
            TimeSpan.FromMilliseconds(pingTimeout!.Value),
            maxPayload);
        return true;
    }

    private static long? ReadInteger(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }

    /// <inheritdoc />
    public bool Equals(EngineIOHandshake? other) =>
        other is not null && Sid == other.Sid && Upgrades.SequenceEqual(other.Upgrades) && PingInterval == other.PingInterval
        && PingTimeout == other.PingTimeout && MaxPayload == other.MaxPayload;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Sid, Upgrades.Count, PingInterval, PingTimeout, MaxPayload);
}
