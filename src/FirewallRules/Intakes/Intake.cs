namespace FirewallRules.Intakes;

/// <summary>
/// One host a Datadog Agent (or its installer) connects to on every Datadog site: the name before the site's domain, the TCP port,
/// and the section of the site's ip-ranges document that publishes its addresses.
/// </summary>
/// <param name="Prefix">
/// The host's name before the site's domain (<c>trace.agent.</c>); for a versioned host, the part after the agent's version label
/// (<c>-app.agent.</c>: <c>7-81-1-app.agent.datadoghq.com</c>).
/// </param>
/// <param name="Port">The TCP port.</param>
/// <param name="Section">The section that publishes its addresses; null: allowed by name only.</param>
/// <param name="Purpose">What is sent there, in a few words.</param>
/// <param name="Source">Where the host and port come from: Datadog's page, or the agent's source file.</param>
internal sealed record Intake(string Prefix, int Port, Section? Section, string Purpose, string Source)
{
    /// <summary>Whether a Datadog Agent sends there; false for the Synthetics worker's intake, which no agent setting names.</summary>
    public bool ByAgent { get; init; } = true;

    /// <summary>The version rule from which an agent sends there (<see cref="AgentVersionRules"/>); null: every Agent 6 and 7.</summary>
    public AgentVersionRule? Since { get; init; }

    /// <summary>Whether an agent of <paramref name="version"/> sends there.</summary>
    public bool SentBy(Version version) => Since?.AppliesTo(version) ?? true;

    /// <summary>Whether the host's name starts with the agent's version (<c>7-81-1</c>), which <see cref="Host(string, string)"/> takes.</summary>
    public bool Versioned { get; init; }

    /// <summary>The host at <paramref name="domain"/> (a site's domain, or a domain a key names).</summary>
    public string Host(string domain) => Versioned
        ? throw new InvalidOperationException($"*{Prefix} is named after the agent's version: give its label")
        : Prefix + domain;

    /// <summary>The host at <paramref name="site"/>.</summary>
    public string Host(Site site) => Host(site.Domain);

    /// <summary>The versioned host of the agent whose version label is <paramref name="label"/> (<c>7-81-1</c>, or <c>*</c> for any).</summary>
    public string Host(string label, string domain) => Versioned ? label + Prefix + domain : Host(domain);

    /// <summary>The host's URL on US1, for messages that show what a value may be (<c>https://trace.agent.datadoghq.com</c>).</summary>
    public string ExampleUrl => $"https://{Host(Site.US1)}";

    /// <summary>The host as a pattern of any version (<c>*-app.agent.&lt;domain&gt;</c>), or the host itself.</summary>
    public string AnyVersion(string domain) => Host("*", domain);
}
