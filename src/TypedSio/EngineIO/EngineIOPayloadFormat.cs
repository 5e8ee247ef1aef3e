namespace TypedSio.EngineIO;

/// <summary>How the packets of one long-polling request or response are framed.</summary>
public enum EngineIOPayloadFormat
{
    /// <summary>Engine.IO v4: text packets joined by the record separator 0x1E, binary as <c>b</c> + base64.</summary>
    V4,

    /// <summary>Engine.IO v3 text: each packet prefixed with its length in UTF-16 code units and <c>:</c>; binary as <c>b4</c> + base64.</summary>
    V3Text,

    /// <summary>
    /// Engine.IO v3 binary (XHR2): each packet as a 0 (text) or 1 (binary) byte, its byte length as one byte per decimal
    /// digit, 0xFF, then the packet.
    /// </summary>
    V3Binary,
}
