using System.Globalization;
using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.AllowList;

/// <summary>
/// <c>domains</c>: one host name a line with its port and protocol (<c>trace.agent.datadoghq.com 443/tcp apm</c>), for
/// name-aware appliances and scripts; <c>*</c> stands for the label Datadog's page leaves open
/// (<c>*-app.agent.datadoghq.com</c>, the versioned metrics hosts). What cannot be allowed by name is listed in
/// <c>#</c> lines when comments are on.
/// </summary>
internal sealed class DomainListEmitter(EmitterOptions options) : IRuleEmitter, IByNameEmitter
{
    public string Format => AllowListFormats.Domains;

    public string Description => "Datadog's host names for the rules' outbound sections, one a line with port/protocol and section, for name-aware appliances and scripts.";

    public EmitterOptions Options => options;

    public int HostNames(RuleSet rules) => AllowListHosts.Of(rules, AllowListUse.List).Entries.DistinctBy(e => e.Name).Count();

    public IReadOnlyList<string> Features(RuleSet rules) => [.. AllowListHosts.Of(rules, AllowListUse.List).Entries.Select(e => e.Section).Distinct()];

    public void Write(PreparedRules rules, TextWriter output)
    {
        (IReadOnlyList<AllowListHosts.Entry> entries, IReadOnlyList<string> leftOut) = AllowListHosts.Of(rules.Rules, AllowListUse.List);
        if (options.Comments)
        {
            CommentText.Write(output, "#", rules.Rules.Describe());
            CommentText.Write(output, "#", [.. leftOut.Select(reason => "not listed: " + reason)]);
        }

        // A host over both TLS and plain HTTP on one port is one line: a domain list names hosts and ports, not schemes.
        foreach (AllowListHosts.Entry entry in entries.DistinctBy(e => (e.Name, e.Port)))
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"{entry.Name} {entry.Port} {entry.Section}\n"));
        }
    }
}
