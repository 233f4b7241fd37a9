using FirewallRules.Intakes;

namespace FirewallRules.AgentConfig;

/// <summary>
/// Which rows of <see cref="FeatureMap"/> a configuration turns on, and the decisions of Remote Configuration's that depend on the
/// settings: what the planners ask of the catalogue.
/// </summary>
internal static class FeatureSwitches
{
    /// <summary>The rows that apply to this configuration and version.</summary>
    public static IEnumerable<FeatureRow> Enabled(AgentSettings settings, AgentDefaults defaults, Site site) =>
        FeatureMap.Rows.Where(row => row.AppliesTo(defaults.Version)
            && !(row.Key == "remote_configuration.enabled" && (!RemoteConfigurationOn(settings, defaults, site) || PlainRemoteConfigurationRefused(settings)))
            && !(row.Key == "agent_telemetry.enabled" && (site == Site.US1Fed || settings.Bool("fips.enabled", false)))
            && (row.AlsoNeeds is null || settings.Bool(row.AlsoNeeds, true))
            && IsOn(settings, row.Key, row.Default(site, defaults))
            && settings.Running.Serves(row.Key));

    /// <summary>
    /// Whether Remote Configuration runs: in an agent that has it (<see cref="AgentDefaults.HasRemoteConfiguration"/>), <c>remote_configuration.enabled</c>,
    /// on by default from 7.47; in a government environment (FIPS mode,
    /// US1-FED, or <c>dd_url: https://app.ddog-gov.com</c>) only when it is set on, from 7.72, and never before (<c>IsRemoteConfigEnabled</c>
    /// and <c>IsFed</c>, pkg/config/utils/miscellaneous.go: "Disable Remote Config for GovCloud if it's not explicitly enabled").
    /// </summary>
    internal static bool RemoteConfigurationOn(AgentSettings settings, AgentDefaults defaults, Site site) => defaults.HasRemoteConfiguration && (Government(settings, site)
        ? defaults.RemoteConfigurationInGovernmentWhenSet && settings.IsSet("remote_configuration.enabled") && settings.Bool("remote_configuration.enabled", false)
        : settings.Bool("remote_configuration.enabled", defaults.RemoteConfiguration));

    /// <summary>Whether the agent runs in a government environment (<c>IsFed</c>): FIPS mode, US1-FED, or US1-FED's <c>dd_url</c>.</summary>
    internal static bool Government(AgentSettings settings, Site site) =>
        site == Site.US1Fed || settings.Bool("fips.enabled", false) || settings.Text("dd_url") == $"https://{IntakeCatalog.App.Host(Site.US1Fed)}";

    /// <summary>
    /// Whether the agent refuses Remote Configuration's URL: an <c>http://</c> <c>rc_dd_url</c> without <c>remote_configuration.no_tls</c>
    /// (<c>NewHTTPClient</c>, pkg/config/remote/api/http.go: <c>baseURL.Scheme != "https" &amp;&amp; !no_tls</c> is an error, and no client is made).
    /// A bare HOST:PORT is refused too: Go's <c>url.Parse</c> reads its host as the scheme, which is not https.
    /// </summary>
    internal static bool PlainRemoteConfigurationRefused(AgentSettings settings) =>
        settings.Text("remote_configuration.rc_dd_url") is { Length: > 0 } url
        && !url.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !settings.Bool("remote_configuration.no_tls", false);

    private static bool IsOn(AgentSettings settings, string key, bool fallback) =>
        key == "sbom.enabled"
            ? settings.Bool(key, false) || settings.Bool("sbom.container_image.enabled", false) || settings.Bool("sbom.host.enabled", false)
            : settings.Bool(key, fallback);
}
