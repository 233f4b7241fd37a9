namespace FirewallRules.Aws;

/// <summary>AWS refused or failed a change; the message says what was left as it was.</summary>
public sealed class AwsSyncException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsSyncException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public AwsSyncException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public AwsSyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
