using System.Text;

namespace TypedSio.Generators;

/// <summary>Writes C# text line by line with an indentation counter; lines end with <c>\n</c> on every platform.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void WriteLine(string line)
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(line).Append('\n');
    }

    public void WriteLine() => _builder.Append('\n');

    public void OpenBlock(string? header = null)
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        _indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public void Push() => _indent++;

    public void Pop() => _indent--;

    public override string ToString() => _builder.ToString();
}
