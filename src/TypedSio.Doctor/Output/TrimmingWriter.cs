using System.Text;

namespace TypedSio.Doctor.Output;

/// <summary>
/// Writes whole lines without the trailing blanks a grid pads its cells with, so that plain output in a file or a CI
/// log has no invisible tails.
/// </summary>
internal sealed class TrimmingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            inner.Write(_line.ToString().TrimEnd());
            inner.Write('\n');
            _line.Clear();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        foreach (var character in value ?? string.Empty)
        {
            Write(character);
        }
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            inner.Write(_line.ToString().TrimEnd());
            _line.Clear();
        }

        inner.Flush();
    }
}
