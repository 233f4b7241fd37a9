namespace FirewallRules.Sync;

/// <summary>What a firewall tool printed and how it exited.</summary>
/// <param name="Command">The command line, for messages.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record ToolOutput(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Whether it exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Whether it was ended by a signal (the status is 128 and the signal's number, as a shell reports it).</summary>
    public bool Killed => ExitCode is > 128 and < 160;

    /// <summary>Its complaint in one line: the first line of standard error, else of standard output.</summary>
    public string Complaint
    {
        get
        {
            string text = Error.Trim().Length > 0 ? Error : Output;
            string first = text.Trim().Split('\n')[0].Trim();
            return Killed ? $"killed by {SignalName(ExitCode - 128)}" : first.Length > 0 ? first : $"exit code {ExitCode}";
        }
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        9 => "SIGKILL",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
