using FirewallRules.Advice;
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

    /// <summary>Why <paramref name="uri"/> may not be fetched, and the setting that would allow it; null when it may.</summary>
    public static SettingAdvice? Refusal(Uri uri, bool allowInsecureHttp) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || allowInsecureHttp)))
            ? null
            : new SettingAdvice("only https:// is allowed, or plain http:// to a loopback address ({0} allows other hosts)", AllowInsecureHttp);

    /// <summary>
    /// Why a redirect from <paramref name="from"/> to <paramref name="to"/> may not be followed, naming the setting that would allow it
    /// (a command line formats it with its flag); null when it may.
    /// </summary>
    public static SettingAdvice? RedirectRefusal(Uri from, Uri to, bool allowInsecureHttp)
    {
        SettingAdvice? refusal = Refusal(to, allowInsecureHttp)
            ?? (from.Scheme == Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttps && !allowInsecureHttp
                ? new SettingAdvice("a redirect may not step down from https:// to plain http:// ({0} allows it)", AllowInsecureHttp)
                : null);
        return refusal is null ? null
            : new SettingAdvice($"the server redirected to {Escaped(Show(to))}, which is not followed: {refusal.Sentence}", [.. refusal.Settings]);
    }

    /// <summary>The refusal of a redirect past <see cref="MaxRedirects"/>, the last to <paramref name="to"/>.</summary>
    public static SettingAdvice TooManyRedirects(Uri to) => new($"more than {MaxRedirects} redirects, the last to {Escaped(Show(to))}");

    private static string AllowInsecureHttp { get; } = SettingNames.Of<IpRangesClientOptions>(nameof(IpRangesClientOptions.AllowInsecureHttp));

    private static string Escaped(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>A server's address as a message may quote it.</summary>
    public static string Show(Uri uri) => TerminalText.Escape(uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString, 200);
}
