using FirewallRules.Advice;

namespace FirewallRules.AgentConfig;

/// <summary>
/// An agent configuration that cannot be read as the agent reads it: malformed YAML, a value of the wrong type, an
/// unknown site, contradictory settings, or an environment file line that is not <c>KEY=VALUE</c>.
/// </summary>
/// <remarks>
/// The message is one line naming the file, the line and the key; it never holds a secret's value. When a setting resolves the
/// refusal, <see cref="Advice"/> names it and the message ends with it.
/// </remarks>
public sealed class AgentConfigurationException : Exception, IAdvisedFailure
{
    /// <summary>Creates the exception.</summary>
    public AgentConfigurationException()
        : this("the agent configuration cannot be read")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AgentConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AgentConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal AgentConfigurationException(SettingOrigin origin, string? key, string problem, SettingAdvice? advice = null)
        : base($"{origin}: {(key is null ? string.Empty : key + ": ")}{problem}{(advice is null ? string.Empty : $": {advice}")}")
    {
        File = origin.File;
        Line = origin.Line;
        Key = key;
        Advice = advice;
        _problem = $"{origin}: {(key is null ? string.Empty : key + ": ")}{problem}";
    }

    private readonly string? _problem;

    /// <inheritdoc/>
    public SettingAdvice? Advice { get; }

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) =>
        Advice is null ? Message : $"{_problem}: {Advice.Format(nameSetting)}";

    /// <summary>The file the problem is in, when there is one.</summary>
    public string? File { get; }

    /// <summary>The 1-based line, when known.</summary>
    public int? Line { get; }

    /// <summary>The setting, as the agent names it (<c>logs_config.force_use_tcp</c>, <c>DD_APM_ENABLED</c>), when one is at fault.</summary>
    public string? Key { get; }
}
