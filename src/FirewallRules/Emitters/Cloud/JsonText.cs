using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FirewallRules.Emitters.Cloud;

/// <summary>JSON written with <see cref="Utf8JsonWriter"/>, never by concatenation, so every string is escaped by the writer.</summary>
internal static class JsonText
{
    // The output is a file, never embedded in HTML: the relaxed encoder keeps ' + < > & readable (ARM expressions are
    // full of quotes) and still escapes quotes, backslashes and control characters.
    private static readonly JsonWriterOptions Indented = new() { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON that <paramref name="write"/> produces, without a final newline.</summary>
    /// <param name="write">Writes one JSON value.</param>
    /// <param name="indented">Indented by two spaces (the default), or on one line.</param>
    public static string Write(Action<Utf8JsonWriter> write, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
