using System.Globalization;
using System.Text;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Netfilter;

/// <summary>
/// Text the Linux emitters (iptables, ipset, nftables) share: the provenance header, rule comments, and
/// the one sanitiser every free-text fragment goes through before it reaches a restore file or script.
/// </summary>
/// <remarks>
/// All of these formats are line-oriented and none can escape a double quote inside a quoted string
/// (nft cannot at all; iptables-restore only with backslashes), so instead of escaping, text is reduced
/// to printable ASCII without quotes, backslashes, <c>`</c> or <c>$</c>: a newline can never start a new
/// command and a quote can never end an argument, whatever the document or the caller passed in.
/// </remarks>
internal static class NetfilterText
{
    private const int MaxCommentLineLength = 512;

    /// <summary>
    /// <paramref name="text"/> with every character outside printable ASCII, and every quote, backslash,
    /// backtick and dollar sign, replaced by <c>_</c>; cut to <paramref name="maxLength"/> characters
    /// (ending in <c>...</c>) when longer. ASCII only, so characters and bytes count the same.
    /// </summary>
    public static string Sanitize(string text, int maxLength = int.MaxValue)
    {
        var safe = new StringBuilder(Math.Min(text.Length, maxLength));
        foreach (char c in text)
        {
            safe.Append(c is >= ' ' and <= '~' and not ('"' or '\'' or '\\' or '`' or '$') ? c : '_');
        }

        if (safe.Length > maxLength)
        {
            safe.Length = maxLength - 3;
            safe.Append("...");
        }

        return safe.ToString();
    }

    /// <summary>
    /// The comment on a rendered rule: the name prefix, what the rule does and the document version, e.g.
    /// <c>datadog: allow egress to 443/tcp for Datadog logs (ip-ranges v52)</c>, sanitised and cut to
    /// <paramref name="maxLength"/>.
    /// </summary>
    /// <remarks>
    /// A rule for many sections says fewer of them rather than lose the version (<c>... for agents, api and 9 more
    /// (ip-ranges v59)</c>): the version is how an operator tells which document is in force.
    /// </remarks>
    public static string RuleComment(EmitterOptions options, RuleSet rules, FirewallRule rule, int maxLength)
    {
        string version = rules.Provenance.Version is long v ? string.Create(CultureInfo.InvariantCulture, $" (ip-ranges v{v})") : string.Empty;
        string whole = Sanitize($"{options.Name}: {rule.Description}{version}");
        if (whole.Length <= maxLength || version.Length == 0)
        {
            return Sanitize(whole, maxLength);
        }

        string head = rule.Description[..(rule.Description.Length - string.Join(", ", rule.Sources).Length)];
        for (int kept = rule.Sources.Count - 1; kept >= 1; kept--)
        {
            string shorter = Sanitize(string.Create(CultureInfo.InvariantCulture,
                $"{options.Name}: {head}{string.Join(", ", rule.Sources.Take(kept))} and {rule.Sources.Count - kept} more{version}"));
            if (shorter.Length <= maxLength)
            {
                return shorter;
            }
        }

        return Sanitize(whole[..^version.Length], maxLength - version.Length) + version;
    }

    /// <summary>The comment on a closed port's drop, e.g. <c>datadog: drop other ingress on 8125/udp (closed port)</c>, sanitised and cut.</summary>
    public static string DropComment(EmitterOptions options, Direction direction, PortRange port, int maxLength) =>
        Sanitize($"{options.Name}: {PortClosing.DropDescription(direction, port)}", maxLength);

    /// <summary>
    /// Writes <c>#</c> comment lines: <paramref name="title"/>, the provenance (generator, document version
    /// and date, sections, whether it is the old embedded snapshot), what a prefix budget cost, then
    /// <paramref name="usage"/> after an empty comment line.
    /// </summary>
    public static void WriteHeader(TextWriter output, string title, RuleSet prepared, IEnumerable<string> usage)
    {
        WriteComment(output, title);
        foreach (string line in prepared.Describe())
        {
            WriteComment(output, line);
        }

        output.Write("#\n");
        foreach (string line in usage)
        {
            WriteComment(output, line);
        }
    }

    /// <summary>
    /// Writes one <c>#</c> comment line, sanitised so it cannot end early, and cut to 512 characters: whatever a
    /// caller passes, no line reaches the shortest line limit of the Linux tools (ipset restore reads 1024 bytes,
    /// and a longer line's rest is read as a command).
    /// </summary>
    public static void WriteComment(TextWriter output, string line)
    {
        output.Write("# ");
        output.Write(Sanitize(line, MaxCommentLineLength));
        output.Write('\n');
    }

    /// <summary>For example <c>1 prefix</c> or <c>3 prefixes</c>.</summary>
    public static string PrefixCount(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "prefix" : "prefixes")}");

    /// <summary>IPv4, then IPv6: the order every Linux output lists families in.</summary>
    public static IReadOnlyList<AddressFamilies> SingleFamilies { get; } = [AddressFamilies.IPv4, AddressFamilies.IPv6];

    /// <summary>The part of <paramref name="prefixes"/> in <paramref name="family"/> (IPv4 or IPv6).</summary>
    public static PrefixSet OfFamily(PrefixSet prefixes, AddressFamilies family) =>
        family == AddressFamilies.IPv4 ? prefixes.IPv4 : prefixes.IPv6;
}
