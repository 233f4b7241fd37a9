using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary>What one <c>generate</c> run was asked to do, however the command line spelled it.</summary>
internal sealed record GenerateRequest(EmitterRegistry Registry, string Format, GenerateRequest.Shared Emitter, SettingValues Platform, string? Output, bool Quiet)
{
    /// <summary>Datadog's ranges: from a saved document, a fetch, or the embedded snapshot.</summary>
    public RangesSelection? Ranges { get; init; }

    /// <summary>Instead of Datadog's ranges: an agent's local listeners.</summary>
    public ListenerSelection? Listeners { get; init; }

    /// <summary>What an agent's own configuration uses: its sections, ports and listeners (<see cref="AgentGenerate"/>).</summary>
    public AgentGenerate.Selection? Agent { get; init; }

    /// <summary>The options every emitter shares; <paramref name="FamilyDefaulted"/> when --family was not given (the format's own families).</summary>
    internal sealed record Shared(string Name, bool Comments, AddressFamilies Families, int? MaxPrefixesPerRule, bool FamilyDefaulted = false);

    /// <summary>Which sections of which document, in which direction, on which ports, and the document an update starts from.</summary>
    internal sealed record RangesSelection(
        string? Input, RemoteSource? Remote, IReadOnlyList<string> Sections, Direction? Direction, IReadOnlyList<PortRange>? Ports, RuleAction Action, string? UpdateFrom)
    {
        /// <summary>
        /// The site --site named with --input, or with --live --base-url (a mirror of that site): the document's own site, which
        /// host names (cilium --by-name) depend on.
        /// </summary>
        public Site? InputSite { get; init; }
    }
}
