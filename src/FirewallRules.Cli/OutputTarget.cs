using System.Text;
using FirewallRules.IO;

namespace FirewallRules.Cli;

/// <summary>Where a verb's result goes: standard output, or a file replaced atomically.</summary>
internal static class OutputTarget
{
    // Characters buffered before a write to the destination.
    private const int BufferSize = 64 * 1024;

    /// <summary>Writes the result; <paramref name="path"/> null or "-" means standard output.</summary>
    public static void Write(CliConsole console, string? path, Action<Stream> write)
    {
        if (path is null or "-")
        {
            try
            {
                using Stream output = console.OpenOutput();
                write(output);
                output.Flush();
            }
            catch (IOException ex)
            {
                // A full disk behind a redirection (> /dev/full), a closed pipe: said in one line, not a crash.
                throw new CliException($"cannot write standard output: {ex.Message}");
            }

            return;
        }

        try
        {
            // A run stopped while it wrote keeps the file it had: the new one takes its place only whole and unstopped.
            AtomicFile.Write(path, stream =>
            {
                write(stream);
                StopSignals.ThrowIfStopped();
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {ex.Message}");
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark) like <see cref="Write"/>.</summary>
    public static void WriteText(CliConsole console, string? path, string text) =>
        _ = WriteText(console, path, writer =>
        {
            writer.Write(text);
            return text.Length;
        });

    /// <summary>
    /// Streams what <paramref name="write"/> writes, as UTF-8 (no byte order mark, <c>\n</c> line ends), to the
    /// destination like <see cref="Write"/>, so the text is never held whole in memory; returns what it returned.
    /// </summary>
    public static T WriteText<T>(CliConsole console, string? path, Func<TextWriter, T> write)
    {
        T result = default!;
        Write(console, path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize, leaveOpen: true) { NewLine = "\n" };
            result = write(writer);
        });
        return result;
    }
}
