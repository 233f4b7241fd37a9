using System.CommandLine.Parsing;
using FirewallRules.IO;

namespace FirewallRules.Cli;

/// <summary>
/// The response files of a command line (<c>fwrules @FILE</c>), read once and within bounds before the parser runs; the
/// parser then takes their words from here, so what was checked is what is parsed. A file is split as System.CommandLine
/// splits it: each line trimmed, blank lines and lines starting with <c>#</c> skipped, the rest split as a shell would.
/// </summary>
/// <remarks>
/// The parser follows a response file named inside another without end (two files naming each other spun forever), read
/// <c>/dev/zero</c> until the process died, and waited on a FIFO forever. Here each is one usage line: a file that is not a
/// regular file, one larger than <see cref="LargestFile"/>, one nested more than <see cref="DeepestNesting"/> deep or inside
/// itself, and files whose words, each file counted as often as it is named, come to more than <see cref="MostCharacters"/>.
/// The limits leave room for command lines far beyond what a person writes: a response file of 1.5 million words (26 MB)
/// still reads.
/// </remarks>
internal sealed class ResponseFiles
{
    /// <summary>The largest response file read: 64 MiB.</summary>
    public const int LargestFile = 64 * 1024 * 1024;

    /// <summary>How deep response files may name each other: a file on the command line is at depth 1.</summary>
    public const int DeepestNesting = 8;

    /// <summary>The most characters the response files expand to, each counted as often as it is named (a file naming another a thousand times, and so on).</summary>
    public const long MostCharacters = 64L * 1024 * 1024;

    private readonly Dictionary<string, string[]> _words = new(StringComparer.Ordinal);
    private long _characters;
    private bool _afterDoubleDash;

    private ResponseFiles()
    {
    }

    /// <summary>Why the command line's response files cannot be used (a usage line's sentence), or null when they can.</summary>
    public string? Problem { get; private init; }

    /// <summary>Reads every response file <paramref name="args"/> names, as the parser would expand them, up to the first problem.</summary>
    public static ResponseFiles Read(IReadOnlyList<string> args)
    {
        var files = new ResponseFiles();
        return files.Expand(args, []) is string problem ? new ResponseFiles { Problem = problem } : files;
    }

    /// <summary>The parser's replacement for <c>@NAME</c>: the words read for it; a name not read (none is) is refused.</summary>
    public bool TryReplace(string name, out IReadOnlyList<string>? tokens, out string? error)
    {
        tokens = _words.GetValueOrDefault(name);
        error = tokens is null ? $"response file @{TerminalText.EscapeWhole(name)} was not read" : null;
        return tokens is not null;
    }

    // The words in the order the parser meets them (after `--` an @word is a word, as the parser takes it); the first problem, or null.
    private string? Expand(IEnumerable<string> words, List<string> within)
    {
        foreach (string word in words)
        {
            _characters += word.Length + 1;
            if (_characters > MostCharacters)
            {
                return $"the response files of this command line come to more than {MostCharacters / (1024 * 1024)} Mi characters, " +
                    "each counted as often as it is named";
            }

            _afterDoubleDash |= word == "--";
            if (_afterDoubleDash || word.Length < 2 || word[0] != '@')
            {
                continue;
            }

            string name = word[1..];
            string? problem = within.Contains(name, StringComparer.Ordinal)
                ? $"response file {Named(name)} names itself{Through(within, name)}: a response file may name others, never itself"
                : within.Count == DeepestNesting ? $"response file {Named(name)} is nested more than {DeepestNesting} deep (in {Named(within[^1])})"
                : Load(name, out string[] inner) ?? Nested(inner, within, name);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private string? Nested(string[] words, List<string> within, string name)
    {
        within.Add(name);
        string? problem = Expand(words, within);
        within.RemoveAt(within.Count - 1);
        return problem;
    }

    // The file's words, read once; the problem, or null.
    private string? Load(string name, out string[] words)
    {
        if (_words.TryGetValue(name, out string[]? read))
        {
            words = read;
            return null;
        }

        words = [];
        string text;
        try
        {
            text = InputFile.ReadAllText(name, LargestFile);
        }
        catch (InputFileException ex)
        {
            return $"response file @{ex.Message}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot read response file {Named(name)}: {(Directory.Exists(name) ? "it is a directory" : ex.Message)}";
        }

        string[] lines = [.. text.Split(["\r\n", "\r", "\n"], StringSplitOptions.None).Select(line => line.Trim())];
        // The parser's split drops what follows a quote left open: the line would mean something else than it says.
        int open = Array.FindIndex(lines, line => line.Length > 0 && line[0] != '#' && line.Count(c => c == '"') % 2 == 1);
        if (open >= 0)
        {
            return $"response file {Named(name)}, line {open + 1}: a quote (\") without its end";
        }

        words = [.. lines.Where(line => line.Length > 0 && line[0] != '#').SelectMany(CommandLineParser.SplitCommandLine)];
        _words[name] = words;
        return null;
    }

    private static string Through(List<string> within, string name) =>
        within.SkipWhile(file => file != name).Skip(1).Select(Named).ToList() is { Count: > 0 } path ? $" (through {string.Join(", ", path)})" : string.Empty;

    private static string Named(string name) => $"@{TerminalText.EscapeWhole(name)}";
}
