using FirewallRules.IO;

namespace FirewallRules.Fetching;

/// <summary>
/// Where a request may go: <c>https://</c>, or plain <c>http://</c> to a loopback address, or to any host when
/// <see cref="IpRangesClientOptions.AllowInsecureHttp"/> is set. The same rule holds for the first address and
/// for every redirect, which also may not step down from https to http unless insecure HTTP is allowed.
/// </summary>
internal static class TransportPolicy
{
    /// <summary>How many redirects one request follows before it is refused.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Why <paramref name="uri"/> may not be fetched; null when it may.</summary>
    public static string? Refusal(Uri uri, bool allowInsecureHttp) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || allowInsecureHttp)))
            ? null
            : "only https:// is allowed, or plain http:// to a loopback address (set AllowInsecureHttp to allow other hosts)";

    /// <summary>Why a redirect from <paramref name="from"/> to <paramref name="to"/> may not be followed; null when it may.</summary>
    public static string? RedirectRefusal(Uri from, Uri to, bool allowInsecureHttp)
    {
        string? refusal = Refusal(to, allowInsecureHttp)
            ?? (from.Scheme == Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttps && !allowInsecureHttp
                ? "a redirect may not step down from https:// to plain http:// (set AllowInsecureHttp to allow it)"
                : null);
        return refusal is null ? null : $"the server redirected to {Show(to)}, which is not followed: {refusal}";
    }

    /// <summary>A server's address as a message may quote it.</summary>
    public static string Show(Uri uri) => TerminalText.Escape(uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString, 200);
}
