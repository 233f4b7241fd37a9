namespace FirewallRules.IO;

/// <summary>An address as a message may quote it: without the credentials its authority may carry.</summary>
internal static class UrlText
{
    /// <summary>
    /// <paramref name="text"/> as a refusal may quote it: without credentials, and with its query and fragment, which may carry a
    /// token (a signed URL's signature), replaced by <c>?***</c>.
    /// </summary>
    public static string WithoutSecrets(string text)
    {
        string bare = WithoutCredentials(text);
        int cut = bare.IndexOfAny(['?', '#']);
        return cut < 0 ? bare : bare[..cut] + "?***";
    }

    /// <summary><paramref name="text"/> with what comes before an <c>@</c> in its authority (<c>user:password@</c>) replaced by <c>***</c>.</summary>
    public static string WithoutCredentials(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int start = scheme >= 0 ? scheme + 3 : 0;
        int end = text.IndexOfAny(['/', '?', '#'], start);
        int at = text.LastIndexOf('@', end < 0 ? text.Length - 1 : Math.Max(start, end - 1));
        return at >= start ? text[..start] + "***" + text[at..] : text;
    }
}
