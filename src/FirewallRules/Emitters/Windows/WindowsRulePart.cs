using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Windows;

/// <summary>One Windows Firewall rule: part <see cref="Number"/> of <see cref="Count"/> of a rule of the set, for one address family.</summary>
/// <param name="Rule">The rule of the set this part renders.</param>
/// <param name="Family">IPv4 or IPv6: a part holds one family, so each can be read, disabled or removed on its own.</param>
/// <param name="Number">1-based.</param>
/// <param name="Count">How many parts the rule's addresses of this family take.</param>
/// <param name="Prefixes">The rule's prefixes of <paramref name="Family"/>.</param>
/// <param name="Addresses">Where this part's addresses are in <paramref name="Prefixes"/>; never empty (Windows reads an empty list as any address).</param>
internal sealed record WindowsRulePart(FirewallRule Rule, AddressFamilies Family, int Number, int Count, PrefixSet Prefixes, Range Addresses)
{
    /// <summary>
    /// Writes the part's addresses as CIDR text, each after <paramref name="indent"/>, with <paramref name="separator"/>
    /// between two: straight from the numbers to <paramref name="output"/>, with no string per address. Addresses need no
    /// escaping in either format: they are digits, letters a to f, and <c>. : /</c>.
    /// </summary>
    public void WriteAddresses(TextWriter output, string indent, string separator) => Prefixes.WriteEach(output, indent, separator, Addresses);

    /// <summary><c>IPv4</c> or <c>IPv6</c>.</summary>
    public string FamilyLabel => Family.Label();

    /// <summary>A unique name built from validated parts only, e.g. <c>datadog-egress-tcp-443-ipv4-01</c>.</summary>
    public string Name(string prefix) => NameOf(prefix, Rule, Family, Number);

    /// <summary>The name of part <paramref name="number"/> of <paramref name="rule"/> in <paramref name="family"/>, as <see cref="Name"/>.</summary>
    public static string NameOf(string prefix, FirewallRule rule, AddressFamilies family, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{rule.Name}-{family.Keyword()}-{number:D2}");

    /// <summary>
    /// What the rule allows and where its prefixes came from, e.g. <c>allow egress to 443/tcp for Datadog logs,
    /// from Datadog ip-ranges version 52 modified 2022-11-14T22:00:00Z</c>. The modified text is cut short, but a
    /// hand-built provenance may hold anything in it: each format escapes it.
    /// </summary>
    public static string Describe(FirewallRule rule, RuleSetProvenance provenance) => provenance.Version is long version
        ? string.Create(CultureInfo.InvariantCulture,
            $"{rule.Description}, from Datadog ip-ranges version {version}{(provenance.ShownModified is string modified ? " modified " + modified : string.Empty)}")
        : rule.Description;
}
