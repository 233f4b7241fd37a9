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

    /// <summary>Its complaint in one line: the first line of standard error, else of standard output.</summary>
    public string Complaint
    {
        get
        {
            string text = Error.Trim().Length > 0 ? Error : Output;
            string first = text.Trim().Split('\n')[0].Trim();
            return first.Length > 0 ? first : $"exit code {ExitCode}";
        }
    }
}
