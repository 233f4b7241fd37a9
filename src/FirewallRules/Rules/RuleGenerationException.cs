namespace FirewallRules.Rules;

/// <summary>
/// Rules were refused rather than rendered wrong: an allow-list of nothing, a section that is not in the
/// document, a name that is not safe for the target, or a platform limit that cannot be met.
/// </summary>
public sealed class RuleGenerationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleGenerationException()
        : base("the rules cannot be generated")
    {
    }

    /// <summary>Creates the exception with a message that says what to do.</summary>
    public RuleGenerationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RuleGenerationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
