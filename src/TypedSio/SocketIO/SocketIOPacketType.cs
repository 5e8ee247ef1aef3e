namespace TypedSio.SocketIO;

/// <summary>The Socket.IO v5 packet types, numbered as they are written on the wire.</summary>
public enum SocketIOPacketType : byte
{
    /// <summary>Connects to a namespace (client → server, optionally with an auth payload) or confirms it (server → client, with the sid).</summary>
    Connect = 0,

    /// <summary>Leaves a namespace.</summary>
    Disconnect = 1,

    /// <summary>An event: a JSON array whose first element is the event name.</summary>
    Event = 2,

    /// <summary>The acknowledgement of an event: a JSON array of the reply's arguments.</summary>
    Ack = 3,

    /// <summary>The server refused a namespace connection: a message string or an object with <c>message</c> and <c>data</c>.</summary>
    ConnectError = 4,

    /// <summary>An event with binary attachments that follow as separate binary messages.</summary>
    BinaryEvent = 5,

    /// <summary>An acknowledgement with binary attachments that follow as separate binary messages.</summary>
    BinaryAck = 6,
}
