using FirewallRules.Advice;

namespace FirewallRules.AgentConfig;

/// <summary>
/// A render request the plan cannot be rendered for as asked, before anything is rendered: the rules would cut the agent off from
/// its proxy, a host name the format cannot hold, unless the request gives the proxy's addresses.
/// </summary>
/// <remarks>The message is one line; <see cref="Advice"/> names the request's setting that resolves it.</remarks>
public sealed class AgentRequestException : Exception, IAdvisedFailure
{
    /// <summary>Creates the exception.</summary>
    public AgentRequestException()
        : this("the agent's plan cannot be rendered as asked")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AgentRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public AgentRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal AgentRequestException(string problem, SettingAdvice advice)
        : base($"{problem}: {advice}")
    {
        _problem = problem;
        Advice = advice;
    }

    private readonly string? _problem;

    /// <inheritdoc/>
    public SettingAdvice? Advice { get; }

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) => Advice is null ? Message : $"{_problem}: {Advice.Format(nameSetting)}";
}
