using FirewallRules.Advice;

namespace FirewallRules.Rules;

/// <summary>
/// Rules were refused rather than rendered wrong: an allow-list of nothing, a section that is not in the
/// document, a name that is not safe for the target, or a platform limit that cannot be met.
/// </summary>
/// <remarks>
/// When a setting resolves the refusal, <see cref="Advice"/> names it and the message ends with it:
/// <c>{Reason}: {Advice}</c>.
/// </remarks>
public sealed class RuleGenerationException : Exception, IAdvisedFailure
{
    /// <summary>Creates the exception.</summary>
    public RuleGenerationException()
        : this("the rules cannot be generated")
    {
    }

    /// <summary>Creates the exception with a message that says what to do.</summary>
    public RuleGenerationException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RuleGenerationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Creates the exception for a refusal that <paramref name="advice"/> resolves.</summary>
    /// <param name="reason">What is wrong, e.g. <c>the egress rules need 17 security groups, more than 16</c>.</param>
    /// <param name="advice">The settings that resolve it.</param>
    public RuleGenerationException(string reason, SettingAdvice advice)
        : base($"{reason}: {advice}")
    {
        ArgumentNullException.ThrowIfNull(advice);
        Reason = reason;
        Advice = advice;
    }

    /// <summary>What is wrong, without the advice.</summary>
    public string Reason { get; }

    /// <inheritdoc/>
    public SettingAdvice? Advice { get; }

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) =>
        Advice is null ? Message : $"{Reason}: {Advice.Format(nameSetting)}";
}
