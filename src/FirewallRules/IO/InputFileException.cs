namespace FirewallRules.IO;

/// <summary>An input file refused before it was read: not a regular file, a link where none is allowed, or too large.</summary>
internal sealed class InputFileException(string path, string problem, bool tooLarge = false)
    : IOException($"{(path.Length == 0 ? "''" : TerminalText.EscapeWhole(path))} {problem}")
{
    /// <summary>The file, as it was named.</summary>
    public string FilePath { get; } = path;

    /// <summary>Whether the file was refused for its size (it is a regular file).</summary>
    public bool TooLarge { get; } = tooLarge;
}
