namespace FirewallRules.Advice;

/// <summary>
/// A failure (an exception) whose message ends with advice naming the settings that resolve it, so that a tool can show the same
/// message with the settings spelled its own way.
/// </summary>
public interface IAdvisedFailure
{
    /// <summary>What resolves the failure; null when no setting does.</summary>
    SettingAdvice? Advice { get; }

    /// <summary>The message, with the advice's settings named by <paramref name="nameSetting"/>.</summary>
    string FormatMessage(Func<string, string> nameSetting);
}
