using FirewallRules.IO;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Whether and how a configuration value may be quoted in a message: never the value of a secret (a key whose name
/// says so, a dual-shipping endpoint, which carries API keys), never text that may carry one (JSON, quotes, a long run
/// of letters and digits such as an API key), a URL's credentials and query replaced by <c>***</c>, and always terminal-safe.
/// </summary>
internal static class ShownValue
{
    private const int MaxShown = 60;
    private const int KeyLikeRun = 20;

    private static readonly System.Buffers.SearchValues<char> MayCarrySecrets = System.Buffers.SearchValues.Create("{}[]\"'`\\");

    /// <summary>The value to quote for the setting <paramref name="name"/>; null when it must not be quoted.</summary>
    public static string? For(string name, string text)
    {
        if (AgentSettings.IsSecret(name) || name.Contains("additional_endpoints", StringComparison.OrdinalIgnoreCase)
            || text.Length > MaxShown || text.AsSpan().IndexOfAny(MayCarrySecrets) >= 0 || HasKeyLikeRun(text))
        {
            return null;
        }

        return TerminalText.Escape(UrlText.WithoutSecrets(text), MaxShown);
    }

    private static bool HasKeyLikeRun(string text)
    {
        int run = 0;
        foreach (char c in text)
        {
            run = char.IsAsciiLetterOrDigit(c) ? run + 1 : 0;
            if (run >= KeyLikeRun)
            {
                return true;
            }
        }

        return false;
    }
}
