namespace FirewallRules.AgentConfig;

/// <summary>Where an event-platform pipeline sends when its own keys move it (<see cref="PipelineEndpoint"/>, which says whence).</summary>
internal static class PipelineMoves
{
    /// <summary>The key that moves the pipeline (<c>logs_dd_url</c>, else <c>dd_url</c>), as <see cref="Moved"/> reads them; null when neither is set.</summary>
    public static string? MovedBy(AgentSettings settings, string prefix) =>
        settings.Text(prefix + "logs_dd_url") is not null ? prefix + "logs_dd_url" : settings.Text(prefix + "dd_url") is not null ? prefix + "dd_url" : null;

    /// <summary>The pipeline's destination when its own keys move it; null when it sends to its default host.</summary>
    /// <exception cref="AgentConfigurationException">A key is not an endpoint, or <c>logs_dd_url</c> names no port: one line naming it.</exception>
    public static AgentDestination? Moved(AgentSettings settings, string prefix, string feature, string what)
    {
        string key = prefix + "logs_dd_url";
        if (settings.Text(key) is string address)
        {
            FoundSetting found = settings.Find(key)!;
            (string host, int? port) = UrlSetting.Require(found, address, "HOST:PORT or a URL");
            string text = address.TrimStart();
            bool url = text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (!url && !HasPort(address))
            {
                throw new AgentConfigurationException(found.Value.Origin, found.Name, "must name its port (HOST:PORT), as the agent's logs_dd_url parser requires");
            }

            string scheme = url ? IntakeHosts.SchemeOf(address) : settings.Bool(prefix + "logs_no_ssl", false) ? "http" : "https";
            return Placement.Of(feature, host, DestinationPlanner.Tcp(port), $"{what} ({key})", scheme);
        }

        key = prefix + "dd_url";
        if (settings.Text(key) is string ddUrl)
        {
            FoundSetting found = settings.Find(key)!;
            (string host, int? port) = UrlSetting.Require(found, ddUrl, "a URL such as https://intake-relay.example.com:8443");
            return Placement.Of(feature, host, DestinationPlanner.Tcp(port), $"{what} ({key})", IntakeHosts.SchemeOf(ddUrl));
        }

        return null;
    }

    // HOST:PORT, [v6]:PORT: what Go's net.SplitHostPort accepts with a port.
    private static bool HasPort(string address)
    {
        string text = address.Trim();
        int colon = text.LastIndexOf(':');
        return colon > 0 && colon < text.Length - 1 && text[(colon + 1)..].All(char.IsAsciiDigit) && (!text.StartsWith('[') || text[colon - 1] == ']');
    }
}
