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

    /// <summary>Writes the JSON that <paramref name="write"/> produces to <paramref name="output"/> as it is produced, a buffer at a time; no final newline.</summary>
    /// <inheritdoc cref="Write(Action{Utf8JsonWriter}, bool)"/>
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write, bool indented = true) =>
        _ = Pass(new Utf8Sink(output), write, indented);

    /// <summary>The UTF-8 size of the JSON that <paramref name="write"/> produces, counted without keeping it.</summary>
    /// <inheritdoc cref="Write(Action{Utf8JsonWriter}, bool)"/>
    public static long Measure(Action<Utf8JsonWriter> write, bool indented = true) =>
        Pass(new Utf8Sink(output: null), write, indented);

    private static long Pass(Utf8Sink sink, Action<Utf8JsonWriter> write, bool indented)
    {
        using (var writer = new Utf8JsonWriter(sink, indented ? Indented : Compact))
        {
            write(writer);
        }

        return sink.Bytes;
    }

    /// <summary>
    /// Where <see cref="Utf8JsonWriter"/> puts its bytes: one buffer, handed on (as text) to a writer, or only
    /// counted, each time the JSON writer fills it.
    /// </summary>
    private sealed class Utf8Sink(TextWriter? output) : IBufferWriter<byte>
    {
        private const int BufferBytes = 16 * 1024;
        private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        private byte[] _bytes = new byte[BufferBytes];
        private char[] _chars = new char[BufferBytes + 1];

        public long Bytes { get; private set; }

        public void Advance(int count)
        {
            Bytes += count;
            if (output is not null)
            {
                // A character cut at the buffer's end is kept by the decoder for the next buffer.
                int chars = _decoder.GetChars(_bytes, 0, count, _chars, 0, flush: false);
                output.Write(_chars, 0, chars);
            }
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (sizeHint > _bytes.Length)
            {
                _bytes = new byte[sizeHint];
                _chars = new char[sizeHint + 1];
            }

            return _bytes;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
