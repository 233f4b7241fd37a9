using System.Globalization;
using FirewallRules.Emitters.Netfilter;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Iptables;

/// <summary>
/// The body of an <c>iptables-restore --noflush</c> (or <c>ip6tables-restore</c>) file for one family: the owned
/// chains declared (so the restore flushes them), their rules and closed-port drops, and <c>COMMIT</c>. Written by the
/// iptables formats and embedded by the script format.
/// </summary>
/// <param name="options">Names, comments and ipset mode.</param>
/// <param name="family">The family of the file: IPv4 (iptables) or IPv6 (ip6tables).</param>
internal sealed class IptablesRestoreTable(IptablesEmitterOptions options, AddressFamilies family)
{
    /// <summary>The comment match's limit (XT_MAX_COMMENT_LEN is 256 with the terminating zero).</summary>
    private const int MaxCommentLength = 255;

    /// <summary>The <c>*filter</c> ... <c>COMMIT</c> block, without a header, as a string (for a tool's input).</summary>
    public string Write(RuleSet prepared)
    {
        using var table = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(prepared, table);
        return table.ToString();
    }

    /// <summary>
    /// Writes the <c>*filter</c> ... <c>COMMIT</c> block, without a header, as it is produced: nothing here refuses
    /// (the comments are cut to their limit, and the set names are checked before).
    /// </summary>
    public void Write(RuleSet prepared, TextWriter table)
    {
        table.Write("*filter\n");
        foreach (Direction direction in prepared.Directions)
        {
            // Declaring a chain that exists makes a --noflush restore flush it: the atomic refill.
            table.Write($":{IptablesNames.Chain(options, direction)} - [0:0]\n");
        }

        foreach (Direction direction in prepared.Directions)
        {
            PortClosing.ChainOrder order = PortClosing.Chain(prepared, direction);
            foreach (FirewallRule rule in order.Reaching)
            {
                WriteRule(table, prepared, rule);
            }

            foreach (PortRange port in order.Drops)
            {
                string comment = options.Comments
                    ? $" -m comment --comment \"{NetfilterText.DropComment(options, direction, port, MaxCommentLength)}\""
                    : string.Empty;
                table.Write($"-A {IptablesNames.Chain(options, direction)} {Match(port)}{comment} -j DROP\n");
            }

            foreach (FirewallRule rule in order.Others)
            {
                WriteRule(table, prepared, rule);
            }
        }

        table.Write("COMMIT\n");
    }

    private void WriteRule(TextWriter output, RuleSet prepared, FirewallRule rule)
    {
        string chain = IptablesNames.Chain(options, rule.Direction);
        string match = Match(rule.Port);
        string comment = options.Comments
            ? $" -m comment --comment \"{NetfilterText.RuleComment(options, prepared, rule, MaxCommentLength)}\""
            : string.Empty;
        string target = rule.Action == RuleAction.Allow ? "ACCEPT" : "DROP";
        if (options.UseIpset)
        {
            string set = IptablesNames.Set(options, rule, family);
            output.Write($"-A {chain} {match} -m set --match-set {set} {(rule.Direction == Direction.Egress ? "dst" : "src")}{comment} -j {target}\n");
            return;
        }

        // One line a prefix, the prefix written from its numbers between the line's two halves.
        string remote = rule.Direction == Direction.Egress ? "-d" : "-s";
        rule.Prefixes.WriteLines(output, $"-A {chain} {remote} ", $" {match}{comment} -j {target}\n");
    }

    /// <summary>For example <c>-p tcp -m tcp --dport 443</c>, as iptables-save prints it.</summary>
    private static string Match(PortRange port)
    {
        string protocol = port.Protocol.Keyword();
        return $"-p {protocol} -m {protocol} --dport {port.Text(':')}";
    }
}
