namespace FirewallRules.Ranges;

/// <summary>An ip-ranges document is malformed or fails validation; the message says where and why.</summary>
public sealed class IpRangesFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="location"/> (for example <c>logs.prefixes_ipv4[17]</c>).</summary>
    public IpRangesFormatException(string reason, string? location, Exception? innerException = null)
        : base(location is null ? reason : $"{location}: {reason}", innerException)
    {
        Reason = reason;
        Location = location;
    }

    /// <summary>Creates the exception with a message.</summary>
    public IpRangesFormatException()
        : this("invalid ip-ranges document", location: null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IpRangesFormatException(string message)
        : this(message, location: null)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public IpRangesFormatException(string message, Exception innerException)
        : this(message, location: null, innerException)
    {
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>Where in the document, as <c>section.field[index]</c>; null for the document as a whole.</summary>
    public string? Location { get; }
}
