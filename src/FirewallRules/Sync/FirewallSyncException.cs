namespace FirewallRules.Sync;

/// <summary>
/// A sync could not be carried out: a tool is missing or refused the rules, an apply failed (and was undone), the
/// lock stayed taken, or the state is unusable. The message says what failed and in which state the firewall is.
/// </summary>
internal sealed class FirewallSyncException(string message) : Exception(message)
{
    /// <summary>Whether a firewall tool was ended by a signal (a stop sent to the whole process group): what it left is read back, not assumed.</summary>
    public bool ToolKilled { get; init; }
}
