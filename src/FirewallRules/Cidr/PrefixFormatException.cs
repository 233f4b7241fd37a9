using FirewallRules.Advice;

namespace FirewallRules.Cidr;

/// <summary>Text that should hold prefixes does not: the message names the line, the column and the reason.</summary>
public sealed class PrefixFormatException : FormatException, IAdvisedFailure
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/> and <paramref name="column"/> (both 1-based; 0 when not known).</summary>
    public PrefixFormatException(string reason, int line = 0, int column = 0)
        : base(Compose(reason, line, column))
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception for a problem that <paramref name="advice"/> resolves, at <paramref name="line"/> and <paramref name="column"/> (0 when not known).</summary>
    public PrefixFormatException(string reason, SettingAdvice? advice, int line = 0, int column = 0)
        : base(Compose(advice is null ? reason : $"{reason}: {advice}", line, column))
    {
        Reason = reason;
        Advice = advice;
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception with a message and no position.</summary>
    public PrefixFormatException()
        : this("invalid prefix")
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public PrefixFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>What is wrong, without the position, e.g. <c>"1.2.3.4/33" is not a valid prefix: ...</c>.</summary>
    public string Reason { get; }

    /// <summary>The 1-based line of the problem, or 0 when the input was a single prefix.</summary>
    public int Line { get; }

    /// <summary>The 1-based column (in UTF-8 bytes, which is characters for valid input) of the problem, or 0.</summary>
    public int Column { get; }

    /// <summary>What resolves the problem, when a setting does (host bits are cleared by <see cref="PrefixParseOptions.ClearHostBits"/>).</summary>
    public SettingAdvice? Advice { get; }

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) =>
        Advice is null ? Message : Compose($"{Reason}: {Advice.Format(nameSetting)}", Line, Column);

    private static string Compose(string reason, int line, int column) => (line, column) switch
    {
        (0, 0) => reason,
        (_, 0) => $"line {line}: {reason}",
        _ => $"line {line}, column {column}: {reason}",
    };
}
