namespace FirewallRules.IO;

/// <summary>An address as a message may quote it: without the credentials or the token it may carry.</summary>
internal static class UrlText
{
    /// <summary>
    /// <paramref name="text"/> as a refusal may quote it: what comes before its last <c>@</c> after the scheme replaced by
    /// <c>***</c> (a password may hold <c>/</c>, <c>?</c> or <c>#</c> unencoded, which end the authority as a parser reads it),
    /// and its query and fragment, which may carry a token (a signed URL's signature), by <c>?***</c>.
    /// </summary>
    public static string WithoutSecrets(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int start = scheme >= 0 ? scheme + 3 : 0;
        int at = text.LastIndexOf('@');
        string bare = at >= start ? text[..start] + "***" + text[at..] : text;
        int cut = bare.IndexOfAny(['?', '#']);
        return cut < 0 ? bare : bare[..cut] + "?***";
    }
}
