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

    /// <summary>
    /// What failed, without what the list was read to hold after it: set when the message goes on to that reading (a
    /// restore or a delete that failed after a change began, e.g. <c>restoring prefix list pl-1 (n-ipv4) to version 3
    /// failed (...)</c>), so a caller that reads the account again itself can name the failure alone. A stop is not
    /// part of it (the message begins <c>stopped part-way; </c> then). Null when the message is all there is.
    /// </summary>
    public string? Failure { get; init; }
}
