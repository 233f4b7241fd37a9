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

    public static CliConsole System { get; } = new(
        Console.OpenStandardInput,
        Console.OpenStandardOutput,
        Console.Error,
        !Console.IsErrorRedirected);
}
