using FirewallRules.Advice;

namespace FirewallRules.Sync;

/// <summary>
/// A sync could not be carried out: a tool is missing or refused the rules, an apply failed (and was undone), the
/// lock stayed taken, or the state is unusable. The message says what failed and in which state the firewall is.
/// </summary>
internal sealed class FirewallSyncException : Exception, IAdvisedFailure
{
    /// <summary>A failure whose message names no setting.</summary>
    public FirewallSyncException(string message)
        : base(message)
    {
    }

    /// <summary>A failure whose message names the settings that resolve it (<see cref="SyncAdvice"/>), spelled by whoever reports it.</summary>
    public FirewallSyncException(SettingAdvice message)
        : base(message?.ToString())
    {
        Advice = message;
    }

    /// <summary>Whether a firewall tool was ended by a signal (a stop sent to the whole process group): what it left is read back, not assumed.</summary>
    public bool ToolKilled { get; init; }

    /// <summary>The whole message with the settings it names; null when it names none.</summary>
    public SettingAdvice? Advice { get; }

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) => Advice?.Format(nameSetting) ?? Message;
}
