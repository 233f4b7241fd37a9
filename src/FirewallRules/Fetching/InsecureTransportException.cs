using FirewallRules.Advice;

namespace FirewallRules.Fetching;

/// <summary>
/// <see cref="IpRangesClient"/> refused to fetch over plain HTTP from a host that is not loopback, because
/// <see cref="IpRangesClientOptions.AllowInsecureHttp"/> is off; no request was made.
/// </summary>
public sealed class InsecureTransportException : ArgumentException, IAdvisedFailure
{
    /// <summary>Creates the exception for a refused address.</summary>
    /// <param name="uri">The address that was not fetched.</param>
    /// <param name="paramName">The argument that led to it.</param>
    public InsecureTransportException(Uri uri, string? paramName)
        : base(Describe(uri, AllowInsecureHttp.ToString()), paramName)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Uri = uri;
    }

    /// <summary>Creates the exception with a message.</summary>
    public InsecureTransportException()
        : this("refusing to fetch over plain http://")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InsecureTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InsecureTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The address that was not fetched; null only when the exception was created from a bare message.</summary>
    public Uri? Uri { get; }

    /// <inheritdoc/>
    public SettingAdvice? Advice => Uri is null ? null : AllowInsecureHttp;

    private static SettingAdvice AllowInsecureHttp { get; } =
        new("{0} allows other hosts", SettingNames.Of<IpRangesClientOptions>(nameof(IpRangesClientOptions.AllowInsecureHttp)));

    /// <inheritdoc/>
    public string FormatMessage(Func<string, string> nameSetting) =>
        Uri is null ? Message : Describe(Uri, AllowInsecureHttp.Format(nameSetting));

    private static string Describe(Uri uri, string advice) =>
        $"refusing to fetch {uri}: only https:// is allowed, or plain http:// to a loopback address; {advice}";
}
