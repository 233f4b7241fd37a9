using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Windows;

/// <summary>One Windows Firewall rule: part <see cref="Number"/> of <see cref="Count"/> of a rule of the set, for one address family.</summary>
/// <param name="Rule">The rule of the set this part renders.</param>
/// <param name="Family">IPv4 or IPv6: a part holds one family, so each can be read, disabled or removed on its own.</param>
/// <param name="Number">1-based.</param>
/// <param name="Count">How many parts the rule's addresses of this family take.</param>
/// <param name="Addresses">The prefixes, as CIDR text; never empty (Windows reads an empty list as any address).</param>
internal sealed record WindowsRulePart(FirewallRule Rule, AddressFamilies Family, int Number, int Count, IReadOnlyList<string> Addresses)
{
    /// <summary><c>IPv4</c> or <c>IPv6</c>.</summary>
    public string FamilyLabel => Family.Label();

    /// <summary>A unique name built from validated parts only, e.g. <c>datadog-egress-tcp-443-ipv4-01</c>.</summary>
    public string Name(string prefix) => NameOf(prefix, Rule, Family, Number);

    /// <summary>The name of part <paramref name="number"/> of <paramref name="rule"/> in <paramref name="family"/>, as <see cref="Name"/>.</summary>
    public static string NameOf(string prefix, FirewallRule rule, AddressFamilies family, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{rule.Name}-{family.Keyword()}-{number:D2}");

    /// <summary>
    /// What the rule allows and where its prefixes came from, e.g. <c>allow egress to 443/tcp for Datadog logs,
    /// from Datadog ip-ranges version 52 modified 2022-11-14-22-00-00</c>. The modified text is cut short, but a
    /// hand-built provenance may hold anything in it: each format escapes it.
    /// </summary>
    public static string Describe(FirewallRule rule, RuleSetProvenance provenance) => provenance.Version is long version
        ? string.Create(CultureInfo.InvariantCulture,
            $"{rule.Description}, from Datadog ip-ranges version {version}{(provenance.ShownModified is string modified ? " modified " + modified : string.Empty)}")
        : rule.Description;
}
