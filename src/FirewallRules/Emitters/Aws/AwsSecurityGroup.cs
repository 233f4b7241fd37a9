using System.Globalization;

namespace FirewallRules.Emitters.Aws;

/// <summary>One security group of the plan: rules of one direction.</summary>
internal sealed record AwsSecurityGroup(Direction Direction, int Number, string Name, string Description, IReadOnlyList<AwsPermission> Permissions)
{
    /// <summary>For comments, e.g. <c>443/tcp, 10516/tcp for logs: 4 IPv4 and 2 IPv6 rules</c>.</summary>
    public string Summary =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{string.Join(", ", Permissions.Select(p => p.Rule.Port).Distinct())} for " +
            $"{string.Join(", ", Permissions.SelectMany(p => p.Rule.Sources).Distinct().Order(StringComparer.Ordinal))}: ")
        + (Permissions.Any(p => p.PrefixLists.Count > 0)
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{Permissions.Sum(p => p.PrefixLists.Count)} prefix list references weighing {Permissions.Sum(p => p.PrefixLists.Sum(l => l.MaxEntries))} rules")
            : string.Create(CultureInfo.InvariantCulture, $"{Permissions.Sum(p => p.IPv4.Count)} IPv4 and {Permissions.Sum(p => p.IPv6.Count)} IPv6 rules"));

    /// <summary>The group's name with underscores, for identifiers (Terraform) and variables.</summary>
    public string Identifier => Name.Replace('-', '_');
}
