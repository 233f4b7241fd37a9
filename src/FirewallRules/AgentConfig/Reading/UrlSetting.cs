namespace FirewallRules.AgentConfig;

/// <summary>A setting that holds an endpoint's URL (or <c>HOST:PORT</c>), read as the agent's HTTP client takes it, or refused in one line naming it.</summary>
internal static class UrlSetting
{
    /// <summary>The host and port of the setting <paramref name="found"/>'s URL, as <see cref="IntakeHosts.Parse"/> reads it.</summary>
    /// <param name="found">The setting.</param>
    /// <param name="text">Its value.</param>
    /// <param name="expected">What it must be, for the message: <c>a URL such as https://app.datadoghq.com</c>.</param>
    /// <exception cref="AgentConfigurationException">It is not such a URL, or its host is not ASCII: one line naming the setting and where it is.</exception>
    public static (string Host, int? Port) Require(FoundSetting found, string text, string expected)
    {
        // The agent's HTTP client sends http:// and https:// URLs only (a bare HOST:PORT is taken as https); any other scheme (ftp://)
        // is no endpoint it can use, and a host with characters no DNS name has (re_lay) is no name an allow-list can hold.
        if (text.Trim() is string value && value.Contains("://", StringComparison.Ordinal)
            && !value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw AgentSettings.WrongType(found.Value, found.Name, $"{expected}: an http:// or https:// URL (the agent uses no other scheme)");
        }

        // As written, before the trimming that would drop a tab or U+0085 after the host.
        if (IntakeHosts.HasInvisible(found.Value.Text ?? text))
        {
            throw AgentSettings.WrongType(found.Value, found.Name, expected);
        }

        (string Host, int? Port) parsed = IntakeHosts.Parse(text) ?? throw AgentSettings.WrongType(found.Value, found.Name,
            IntakeHosts.Uri(text) is Uri uri && IntakeHosts.HasNonAsciiHost(uri) ? $"{expected}, its host name in ASCII (xn-- punycode for other scripts)"
            : IntakeHosts.IsShortAddress(text) ? $"{expected}, {IntakeHosts.FullAddress}" : expected);
        return HostKeys.IsHost(parsed.Host)
            ? parsed
            : throw AgentSettings.WrongType(found.Value, found.Name, $"{expected}, its host a DNS name (letters, digits, '-' and '.') or an address");
    }
}
