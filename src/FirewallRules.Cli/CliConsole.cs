using FirewallRules.IO;

namespace FirewallRules.Cli;

/// <summary>The process's standard streams, replaceable so tests can run verbs in process.</summary>
internal sealed class CliConsole(Func<Stream> openInput, Func<Stream> openOutput, TextWriter error, bool errorIsTerminal)
{
    /// <summary>Standard input, opened on first use.</summary>
    public Stream OpenInput() => openInput();

    /// <summary>Standard output as bytes; verbs write UTF-8.</summary>
    public Stream OpenOutput() => openOutput();

    /// <summary>Diagnostics.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Colour only when a person is watching stderr.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>Writes an error line, in red when a person is watching (and NO_COLOR is not set).</summary>
    public void WriteError(string message) => Error.WriteLine(Paint(OneLine(message), "31"));

    /// <summary>
    /// Writes a warning line (something the user should act on or know before applying), in yellow when a person is watching:
    /// every warning has the one shape <c>fwrules: warning: ...</c>, given here, so a log or a script finds them all by it.
    /// </summary>
    public void WriteWarning(string message) => Error.WriteLine(Paint(OneLine($"{WarningPrefix}{message}"), "33"));

    /// <summary>How every warning line starts.</summary>
    public const string WarningPrefix = "fwrules: warning: ";

    /// <summary>
    /// Whether a warning says rules were left out: <c>not rendered...</c> (a host an allow-list cannot name, a destination no
    /// rule can express) or <c>not loaded...</c>. <c>--quiet</c> silences advice and summaries, never these: a caller writes
    /// them whatever <c>--quiet</c> says.
    /// </summary>
    public static bool SaysLeftOut(string warning) =>
        warning.StartsWith("not rendered", StringComparison.Ordinal) || warning.StartsWith("not loaded", StringComparison.Ordinal);

    /// <summary>Writes a note (the routine summary) line, dimmed when a person is watching.</summary>
    public void WriteNote(string message) => Error.WriteLine(Paint(OneLine(message), "2"));

    // Whatever a message quotes (a file name, an argument, a server's text), it is one line, and nothing in it acts on
    // a terminal or a log: the lines of a multi-line message (the parser's list of choices) are joined with spaces,
    // and control, format and separator characters show as \uXXXX.
    private static string OneLine(string message) =>
        TerminalText.EscapeWhole(string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));

    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    private string Paint(string text, string style) =>
        ErrorIsTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) ? $"\u001b[{style}m{text}\u001b[0m" : text;

    public static CliConsole System { get; } = new(
        Console.OpenStandardInput,
        Console.OpenStandardOutput,
        Console.Error,
        !Console.IsErrorRedirected);
}
