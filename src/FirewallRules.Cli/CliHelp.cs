using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using FirewallRules.IO;

namespace FirewallRules.Cli;

/// <summary>
/// How help reads: each default printed once, in the form the option accepts (<c>24h</c>, not
/// <c>1.00:00:00</c>; <c>us1</c>, not <c>US1 (datadoghq.com)</c>), in one style, <c>Default: 60s.</c> at the end of
/// the option's description, and a command's optional argument shown as optional in the command list. A description
/// that states its default itself is left to say it.
/// </summary>
internal static partial class CliHelp
{
    /// <summary>
    /// <paramref name="help"/> as System.CommandLine wrote it for <paramref name="root"/>, made readable: its
    /// <c>[default: ...]</c> as <c>Default: ...</c> in the option's own form, or left out where the description says it; optional arguments
    /// of the commands listed shown in brackets.
    /// </summary>
    public static string Readable(string help, Command root)
    {
        string text = DefaultValue().Replace(help, match => Default(help, match));
        foreach (Command command in root.Subcommands)
        {
            if (command.Arguments is [{ Arity.MinimumNumberOfValues: 0 } argument])
            {
                text = Bracketed(text, $"\n  {command.Name} <{argument.Name}>", $"\n  {command.Name} [<{argument.Name}>]");
            }
        }

        return text;
    }

    /// <summary>
    /// The command row starting <paramref name="plain"/> written as <paramref name="bracketed"/>, two characters longer.
    /// They come out of the row's padding; where that would leave fewer than the two spaces every row keeps before its
    /// description (the command is the widest), the commands' column first widens by what is missing, so the
    /// descriptions stay aligned.
    /// </summary>
    private static string Bracketed(string text, string plain, string bracketed)
    {
        int section = text.IndexOf("\nCommands:\n", StringComparison.Ordinal);
        int row = text.IndexOf(plain + "  ", StringComparison.Ordinal);
        if (section < 0 || row < section)
        {
            return text;
        }

        int column = row + plain.Length;
        while (text[column] == ' ')
        {
            column++;
        }

        int width = column - row - 1;
        int missing = 4 - (column - row - plain.Length);
        if (missing > 0)
        {
            text = Widened(text, section, width, missing);
        }

        return text.Replace(plain + "  ", bracketed, StringComparison.Ordinal);
    }

    /// <summary>
    /// The lines after <paramref name="section"/> with <paramref name="spaces"/> more spaces at <paramref name="width"/>:
    /// the first column of each row, and the indent of its description's other lines.
    /// </summary>
    private static string Widened(string text, int section, int width, int spaces)
    {
        string[] lines = text[section..].Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length > width && lines[i][width - 1] == ' ')
            {
                lines[i] = lines[i].Insert(width, new string(' ', spaces));
            }
        }

        return string.Concat(text.AsSpan(0, section), string.Join('\n', lines));
    }

    private static string Default(string help, Match match)
    {
        // The option's row starts at the last line that starts with an option's name; wrapped lines come after it.
        int row = help.LastIndexOf("\n  -", match.Index, StringComparison.Ordinal);
        if (help.AsSpan(row + 1, match.Index - row - 1).Contains("Default:", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        string lead = match.Value.StartsWith(' ') ? " " : string.Empty;
        string value = Regex.Replace(match.Groups["value"].Value, @"\s+", " ");
        string shown = value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan duration)
            ? DurationText.Format(duration)
            : Site.All.FirstOrDefault(site => site.ToString() == value) is Site site ? site.Name.ToLowerInvariant() : value;
        return $"{lead}Default: {shown}.";
    }

    // " [default: 1.00:00:00]", the value possibly wrapped onto the next line.
    [GeneratedRegex(@" ?\[default:\s+(?<value>[^\]]+)\]")]
    private static partial Regex DefaultValue();
}
