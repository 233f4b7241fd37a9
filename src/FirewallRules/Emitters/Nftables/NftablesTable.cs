using System.Globalization;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Nftables;

/// <summary>
/// The nft table of one <see cref="NftablesLayout"/>: the names it gives sets and chains, the statements of its
/// chains, the commands that write it, and how to apply it. <see cref="NftablesEmitter"/> writes it under a header;
/// <see cref="NftablesUpdateWriter"/> uses its names. One subclass per kind of table; <see cref="For"/> picks it.
/// </summary>
/// <remarks>
/// A chain lists the rules reaching closed ports, the closed ports' drops, then the other rules
/// (<see cref="PortClosing"/>). Comments are cut to nft's 128 bytes and can hold no double quote (nft has no escape
/// for it).
/// </remarks>
internal abstract class NftablesTable
{
    /// <summary>NFTNL_UDATA_COMMENT_MAXLEN.</summary>
    private const int MaxCommentLength = 128;

    /// <summary>Creates the table for <paramref name="options"/>.</summary>
    protected NftablesTable(NftablesEmitterOptions options) => Options = options;

    /// <summary>The table's name, e.g. <c>datadog</c> (own table) or <c>filter</c> (yours).</summary>
    public string Name => Options.TableName;

    /// <summary>The format name of the layout, e.g. <c>nftables-strict</c>.</summary>
    public abstract string Format { get; }

    /// <summary>What the layout's output is and how to apply it, in one line.</summary>
    public abstract string Description { get; }

    /// <summary>Where the rules are, for the header's title, e.g. <c>in table inet datadog of their own, policy accept</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>The options: names, comments, the layout and the table.</summary>
    protected NftablesEmitterOptions Options { get; }

    /// <summary>The table of <paramref name="options"/>' layout.</summary>
    public static NftablesTable For(NftablesEmitterOptions options) => options.Layout switch
    {
        NftablesLayout.ExistingTable => new NftablesExistingTable(options),
        NftablesLayout.StrictOwnTable => new NftablesOwnTable(options, strict: true),
        _ => new NftablesOwnTable(options, strict: false),
    };

    /// <summary>Writes the commands that load <paramref name="prepared"/>, without the header, as they are produced (nothing here refuses).</summary>
    /// <param name="prepared">The rules.</param>
    /// <param name="families">The families rendered: the drops match only those.</param>
    /// <param name="output">Where they go.</param>
    public abstract void Write(RuleSet prepared, AddressFamilies families, TextWriter output);

    /// <summary>How to apply the output and what it does, one header line each.</summary>
    public abstract IEnumerable<string> Usage(RuleSet prepared);

    /// <summary>The chain of <paramref name="direction"/>.</summary>
    public abstract string ChainName(Direction direction);

    /// <summary>The set holding <paramref name="rule"/>'s prefixes of <paramref name="family"/>.</summary>
    public abstract string SetName(FirewallRule rule, AddressFamilies family);

    /// <summary>The sets of <paramref name="prepared"/>: per rule, one per family it has prefixes of.</summary>
    public IEnumerable<NftablesSet> Sets(RuleSet prepared) =>
        from rule in prepared.Rules
        from family in NetfilterText.SingleFamilies
        let prefixes = NetfilterText.OfFamily(rule.Prefixes, family)
        where !prefixes.IsEmpty
        select new NftablesSet(SetName(rule, family), rule, family, prefixes);

    /// <summary>
    /// Writes <c>{verb} element inet TABLE SET { ... }</c> for <paramref name="prefixes"/>, never empty: a set exists only
    /// for a family its rule has prefixes of, and an update keeps every set (<see cref="SetChange.Plan"/> refuses one gone).
    /// </summary>
    public void WriteElementCommand(TextWriter output, string verb, string set, PrefixSet prefixes)
    {
        output.Write($"{verb} element inet {Name} {set} {{\n");
        WriteElements(output, prefixes, "\t");
        output.Write("}\n");
    }

    /// <summary>
    /// Writes <c>flush chain</c> and then every rule of each chain of <paramref name="prepared"/>: the chains (and the
    /// version their comments name) as the full output would leave them, with the chains' hooks and the jumps to them kept.
    /// </summary>
    public void WriteChainRefill(RuleSet prepared, AddressFamilies families, TextWriter output)
    {
        foreach (Direction direction in prepared.Directions)
        {
            string chain = ChainName(direction);
            output.Write($"flush chain inet {Name} {chain}\n");
            foreach (string statement in ChainStatements(prepared, families, direction))
            {
                output.Write($"add rule inet {Name} {chain} {statement}\n");
            }
        }
    }

    /// <summary>Writes the prefixes one a line, comma-separated, each after <paramref name="indent"/>.</summary>
    protected static void WriteElements(TextWriter output, PrefixSet prefixes, string indent)
    {
        prefixes.WriteEach(output, indent, ",\n");
        output.Write('\n');
    }

    /// <summary><c>ipv4_addr</c> or <c>ipv6_addr</c>.</summary>
    protected static string AddressType(AddressFamilies family) => family == AddressFamilies.IPv4 ? "ipv4_addr" : "ipv6_addr";

    /// <summary>The statements of <paramref name="direction"/>'s chain, in order.</summary>
    protected IEnumerable<string> ChainStatements(RuleSet prepared, AddressFamilies families, Direction direction)
    {
        PortClosing.ChainOrder order = PortClosing.Chain(prepared, direction);
        foreach (string statement in order.Reaching.SelectMany(rule => RuleStatements(prepared, rule)))
        {
            yield return statement;
        }

        foreach (PortRange port in order.Drops)
        {
            yield return $"{FamilyMatch(families)}{PortMatch(port)} counter drop{Comment(NetfilterText.DropComment(Options, direction, port, MaxCommentLength))}";
        }

        foreach (string statement in AfterDrops(prepared, families, direction, order))
        {
            yield return statement;
        }
    }

    /// <summary>What follows the closed ports' drops in a chain: the other rules, unless a layout adds more.</summary>
    protected virtual IEnumerable<string> AfterDrops(RuleSet prepared, AddressFamilies families, Direction direction, PortClosing.ChainOrder order) =>
        order.Others.SelectMany(rule => RuleStatements(prepared, rule));

    /// <summary>The match and verdict of <paramref name="rule"/>, one statement per family it has prefixes of.</summary>
    protected IEnumerable<string> RuleStatements(RuleSet prepared, FirewallRule rule)
    {
        string comment = Comment(NetfilterText.RuleComment(Options, prepared, rule, MaxCommentLength));
        foreach (AddressFamilies family in NetfilterText.SingleFamilies.Where(f => !NetfilterText.OfFamily(rule.Prefixes, f).IsEmpty))
        {
            string address = family == AddressFamilies.IPv4 ? "ip" : "ip6";
            string side = rule.Direction == Direction.Egress ? "daddr" : "saddr";
            string verdict = rule.Action == RuleAction.Allow ? "accept" : "drop";
            yield return $"{address} {side} @{SetName(rule, family)} {PortMatch(rule.Port)} counter {verdict}{comment}";
        }
    }

    /// <summary><c> comment "..."</c>, sanitised and cut to nft's limit; nothing without comments.</summary>
    protected string Comment(string text) =>
        Options.Comments ? $" comment \"{NetfilterText.Sanitize(text, MaxCommentLength)}\"" : string.Empty;

    /// <summary>
    /// What the drops (strict, closed ports) match besides the port: only the families rendered, so an IPv4-only
    /// output leaves IPv6 traffic alone.
    /// </summary>
    protected static string FamilyMatch(AddressFamilies families) => families switch
    {
        AddressFamilies.IPv4 => "meta nfproto ipv4 ",
        AddressFamilies.IPv6 => "meta nfproto ipv6 ",
        _ => string.Empty,
    };

    /// <summary>For example <c>tcp dport 443</c> or <c>udp dport 8000-8100</c>.</summary>
    protected static string PortMatch(PortRange port) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{port.Protocol.Keyword()} dport {port.First}{(port.IsSinglePort ? string.Empty : $"-{port.Last}")}");
}
