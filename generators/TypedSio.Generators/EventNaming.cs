using System.Text;

namespace TypedSio.Generators;

/// <summary>Derives event names from method names, as <c>SocketEventNamingPolicy</c> describes.</summary>
internal static class EventNaming
{
    public const int CamelCase = 0;
    public const int Exact = 1;
    public const int SnakeCase = 2;
    public const int KebabCase = 3;

    public static string Apply(string name, int policy) => policy switch
    {
        Exact => name,
        SnakeCase => Separate(name, '_'),
        KebabCase => Separate(name, '-'),
        _ => ToCamelCase(name),
    };

    // Lower-cases the leading run of capitals but keeps the capital that starts the next word: "IOStatus" -> "ioStatus".
    private static string ToCamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
        {
            return name;
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length && char.IsUpper(chars[i]); i++)
        {
            if (i > 0 && i + 1 < chars.Length && char.IsLower(chars[i + 1]))
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    // A separator goes before a capital that follows a lower-case letter or digit, or that starts a word after an
    // acronym: "SendHTTPRequest" -> "send_http_request".
    private static string Separate(string name, char separator)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    builder.Append(separator);
                }
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
