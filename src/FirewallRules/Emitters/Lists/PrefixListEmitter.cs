using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Lists;

/// <summary>
/// <c>list</c>: the rules' prefixes, aggregated, one per line (IPv4 first), for appliances that read an
/// address list from a URL or a file: pfSense and OPNsense URL table aliases, Palo Alto external dynamic
/// lists, FortiGate external threat feeds, Check Point network feeds. The provenance comes first as
/// <c>#</c> lines when comments are on; turn them off for readers that take no comments (Palo Alto).
/// </summary>
/// <remarks>Ports, directions and actions are not part of a list: the appliance's own rule supplies them.</remarks>
internal sealed class PrefixListEmitter(EmitterOptions options) : IRuleEmitter
{
    public string Format => ListFormats.List;

    public string Description => "The aggregated prefixes, one per line, for URL tables, external dynamic lists and threat feeds (--no-comments for a bare list).";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        if (options.Comments)
        {
            CommentText.Write(output, "#", rules.Rules.Describe());
        }

        // The same text as `fwrules aggregate` writes for these prefixes.
        rules.Rules.Prefixes.WriteTo(output);
    }
}
