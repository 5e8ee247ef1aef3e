using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TypedSio.Doctor.Diagnosis;

namespace TypedSio.Doctor.Output;

/// <summary>The machine-readable report of <c>--json</c>: stable ids and verdicts in lower case.</summary>
internal static class JsonReport
{
    public static string Write(DiagnosisReport report, bool includeExchange)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("target", report.Target);
            writer.WriteBoolean("healthy", report.Healthy);
            writer.WriteStartArray("checks");
            foreach (var check in report.Checks)
            {
                writer.WriteStartObject();
                writer.WriteString("id", check.Id);
                writer.WriteString("title", check.Title);
                writer.WriteString("verdict", check.Verdict.ToString().ToLowerInvariant());
                writer.WriteString("summary", check.Summary);
                if (check.Cause is not null)
                {
                    writer.WriteString("cause", check.Cause);
                }

                if (check.Fix is not null)
                {
                    writer.WriteString("fix", check.Fix);
                }

                if (check.Details.Count > 0)
                {
                    // Details may repeat a name (several notes), so they stay a list of pairs.
                    writer.WriteStartArray("details");
                    foreach (var (name, value) in check.Details)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", name);
                        writer.WriteString("value", value);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (includeExchange)
            {
                writer.WriteStartArray("exchange");
                foreach (var line in report.Exchange)
                {
                    writer.WriteStringValue(line);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
