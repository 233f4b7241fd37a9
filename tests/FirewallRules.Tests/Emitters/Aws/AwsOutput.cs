using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>One security group rule read back from an output: one (protocol, ports) and one target.</summary>
/// <param name="Targets">How many of CIDR / IPv6 CIDR / prefix list the rule names: CloudFormation creates nothing for 0.</param>
internal sealed record AwsRule(
    string Group, Direction Direction, string Protocol, int FromPort, int ToPort, string? Cidr, string? PrefixList, string? Description, int Targets = 1);

/// <summary>A prefix list read back from an output.</summary>
internal sealed record AwsList(string Id, string Family, int MaxEntries, IReadOnlyList<string> Cidrs);

/// <summary>
/// An AWS output parsed back (from the recorded CLI calls, the CloudFormation JSON, or Terraform through HashiCorp's
/// parser), in one shape, so the same proofs apply to all three formats.
/// </summary>
internal sealed partial class AwsOutput(IReadOnlyList<AwsRule> rules, IReadOnlyList<AwsList> lists)
{
    public IReadOnlyList<AwsRule> Rules { get; } = rules;

    public IReadOnlyList<AwsList> Lists { get; } = lists;

    /// <summary>The calls an aws-sg script made: authorize calls with their --ip-permissions JSON.</summary>
    public static AwsOutput FromCliCalls(IEnumerable<string[]> calls)
    {
        var rules = new List<AwsRule>();
        foreach (string[] call in calls.Where(c => c is ["ec2", "authorize-security-group-egress" or "authorize-security-group-ingress", ..]))
        {
            Direction direction = call[1].EndsWith("egress", StringComparison.Ordinal) ? Direction.Egress : Direction.Ingress;
            string group = call[Array.IndexOf(call, "--group-id") + 1];
            using JsonDocument permissions = JsonDocument.Parse(call[Array.IndexOf(call, "--ip-permissions") + 1]);
            foreach (JsonElement permission in permissions.RootElement.EnumerateArray())
            {
                foreach ((string ranges, string cidr) in new[] { ("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6") })
                {
                    if (!permission.TryGetProperty(ranges, out JsonElement list))
                    {
                        continue;
                    }

                    rules.AddRange(list.EnumerateArray().Select(range => new AwsRule(
                        group, direction, permission.GetProperty("IpProtocol").GetString()!, permission.GetProperty("FromPort").GetInt32(),
                        permission.GetProperty("ToPort").GetInt32(), range.GetProperty(cidr).GetString(), null, OptionalString(range, "Description"))));
                }
            }
        }

        return new AwsOutput(rules, []);
    }

    public static AwsOutput FromCloudFormation(string json)
    {
        using JsonDocument template = JsonDocument.Parse(json);
        var rules = new List<AwsRule>();
        var lists = new List<AwsList>();
        foreach (JsonProperty resource in template.RootElement.GetProperty("Resources").EnumerateObject())
        {
            JsonElement properties = resource.Value.GetProperty("Properties");
            switch (resource.Value.GetProperty("Type").GetString())
            {
                case "AWS::EC2::PrefixList":
                    lists.Add(new AwsList(resource.Name, properties.GetProperty("AddressFamily").GetString()!, properties.GetProperty("MaxEntries").GetInt32(),
                        properties.GetProperty("Entries").EnumerateArray().Select(e => e.GetProperty("Cidr").GetString()!).ToArray()));
                    break;
                case "AWS::EC2::SecurityGroup":
                    foreach ((string key, Direction direction) in new[] { ("SecurityGroupEgress", Direction.Egress), ("SecurityGroupIngress", Direction.Ingress) })
                    {
                        if (!properties.TryGetProperty(key, out JsonElement entries))
                        {
                            continue;
                        }

                        foreach (JsonElement rule in entries.EnumerateArray())
                        {
                            string[] cidrs = new[] { "CidrIp", "CidrIpv6" }.Where(k => rule.TryGetProperty(k, out _)).Select(k => rule.GetProperty(k).GetString()!).ToArray();
                            string[] references = new[] { "DestinationPrefixListId", "SourcePrefixListId" }.Where(k => rule.TryGetProperty(k, out _))
                                .Select(k => rule.GetProperty(k).GetProperty("Ref").GetString()!).ToArray();
                            rules.Add(new AwsRule(resource.Name, direction, rule.GetProperty("IpProtocol").GetString()!, Port(rule, "FromPort"),
                                Port(rule, "ToPort"), cidrs.FirstOrDefault(), references.FirstOrDefault(), OptionalString(rule, "Description"),
                                cidrs.Length + references.Length + new[] { "DestinationSecurityGroupId", "SourceSecurityGroupId" }.Count(k => rule.TryGetProperty(k, out _))));
                        }
                    }

                    break;
                default:
                    throw new FormatException($"unexpected resource {resource.Name}");
            }
        }

        return new AwsOutput(rules, lists);
    }

    /// <summary>
    /// What <c>aws ec2 describe-security-groups</c> printed: every rule of every group, both directions, named by group
    /// id. A rule for all protocols (AWS's default outbound rule) comes back with protocol <c>-1</c>. A VPC's own
    /// default group is left out.
    /// </summary>
    public static AwsOutput FromDescribe(string json)
    {
        using JsonDocument described = JsonDocument.Parse(json);
        var rules = new List<AwsRule>();
        foreach (JsonElement group in described.RootElement.GetProperty("SecurityGroups").EnumerateArray()
            .Where(g => g.GetProperty("GroupName").GetString() != "default"))
        {
            string id = group.GetProperty("GroupId").GetString()!;
            foreach ((string key, Direction direction) in new[] { ("IpPermissionsEgress", Direction.Egress), ("IpPermissions", Direction.Ingress) })
            {
                foreach (JsonElement permission in group.GetProperty(key).EnumerateArray())
                {
                    string protocol = permission.GetProperty("IpProtocol").GetString()!;
                    int from = permission.TryGetProperty("FromPort", out JsonElement f) ? f.GetInt32() : -1;
                    int to = permission.TryGetProperty("ToPort", out JsonElement t) ? t.GetInt32() : -1;
                    foreach ((string ranges, string cidr) in new[] { ("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6") })
                    {
                        rules.AddRange(permission.GetProperty(ranges).EnumerateArray().Select(range =>
                            new AwsRule(id, direction, protocol, from, to, range.GetProperty(cidr).GetString(), null, OptionalString(range, "Description"))));
                    }

                    rules.AddRange(permission.GetProperty("PrefixListIds").EnumerateArray().Select(list =>
                        new AwsRule(id, direction, protocol, from, to, null, list.GetProperty("PrefixListId").GetString(), OptionalString(list, "Description"))));
                }
            }
        }

        return new AwsOutput(rules, []);
    }

    /// <summary>Only the rules that <paramref name="keep"/> keeps, with the same prefix lists.</summary>
    public AwsOutput Where(Func<AwsRule, bool> keep) => new([.. Rules.Where(keep)], Lists);

    /// <summary>Terraform as HashiCorp's parser returned it (hcl2json: expressions come back as "${...}" strings).</summary>
    public static AwsOutput FromTerraform(JsonElement hcl)
    {
        var rules = new List<AwsRule>();
        var lists = new List<AwsList>();
        JsonElement resources = hcl.GetProperty("resource");
        if (resources.TryGetProperty("aws_ec2_managed_prefix_list", out JsonElement prefixLists))
        {
            foreach (JsonProperty list in prefixLists.EnumerateObject())
            {
                JsonElement body = list.Value.EnumerateArray().Single();
                lists.Add(new AwsList(list.Name, body.GetProperty("address_family").GetString()!, body.GetProperty("max_entries").GetInt32(),
                    body.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("cidr").GetString()!).ToArray()));
            }
        }

        foreach ((string type, Direction direction) in new[]
        {
            ("aws_vpc_security_group_egress_rule", Direction.Egress), ("aws_vpc_security_group_ingress_rule", Direction.Ingress)
        })
        {
            if (!resources.TryGetProperty(type, out JsonElement resourcesOfType))
            {
                continue;
            }

            foreach (JsonProperty resource in resourcesOfType.EnumerateObject())
            {
                JsonElement body = resource.Value.EnumerateArray().Single();
                string group = Reference().Match(body.GetProperty("security_group_id").GetString()!) is { Success: true } match
                    && match.Groups["type"].Value == "aws_security_group"
                    ? match.Groups["name"].Value
                    : throw new FormatException($"{resource.Name}: security_group_id is not a group's id");
                string protocol = body.GetProperty("ip_protocol").GetString()!;
                int from = body.GetProperty("from_port").GetInt32();
                int to = body.GetProperty("to_port").GetInt32();
                string? description = OptionalString(body, "description");
                if (body.TryGetProperty("prefix_list_id", out JsonElement listId))
                {
                    Match reference = Reference().Match(listId.GetString()!);
                    rules.Add(new AwsRule(group, direction, protocol, from, to, null, reference.Groups["name"].Value, description));
                    continue;
                }

                string key = body.TryGetProperty("cidr_ipv4", out _) ? "cidr_ipv4" : "cidr_ipv6";
                if (body.GetProperty(key).GetString() != "${each.value}")
                {
                    throw new FormatException($"{resource.Name}: {key} is not each.value");
                }

                rules.AddRange(ForEachSet(body.GetProperty("for_each").GetString()!).Select(cidr => new AwsRule(group, direction, protocol, from, to, cidr, null, description)));
            }
        }

        return new AwsOutput(rules, lists);
    }

    /// <summary>The remote prefixes of each (direction, port), prefix lists resolved.</summary>
    public Dictionary<(Direction, PortRange), PrefixSet> PrefixesByPort()
    {
        Dictionary<string, AwsList> lists = Lists.ToDictionary(l => l.Id);
        return Rules
            .GroupBy(r => (r.Direction, new PortRange(r.Protocol == "tcp" ? TransportProtocol.Tcp : TransportProtocol.Udp, r.FromPort, r.ToPort)))
            .ToDictionary(g => g.Key, g => PrefixSet.Create(g.SelectMany(r => r.Cidr is not null ? [r.Cidr] : lists[r.PrefixList!].Cidrs).Select(IPNetwork.Parse)));
    }

    /// <summary>
    /// What each group weighs against the rules-per-group quota, per direction and family: one per CIDR rule; a
    /// prefix list reference weighs its max entries (counted in both families' tallies, as AWS has been seen to).
    /// </summary>
    public IEnumerable<(string Group, Direction Direction, string Family, int Weight)> QuotaUse()
    {
        Dictionary<string, AwsList> lists = Lists.ToDictionary(l => l.Id);
        foreach (IGrouping<(string Group, Direction Direction), AwsRule> group in Rules.GroupBy(r => (r.Group, r.Direction)))
        {
            int references = group.Where(r => r.PrefixList is not null).Sum(r => lists[r.PrefixList!].MaxEntries);
            foreach (string family in new[] { "IPv4", "IPv6" })
            {
                int cidrs = group.Count(r => r.Cidr is not null && r.Cidr.Contains(':', StringComparison.Ordinal) == (family == "IPv6"));
                yield return (group.Key.Group, group.Key.Direction, family, cidrs + references);
            }
        }
    }

    // A rule for all protocols may name no ports (CloudFormation then allows every port): -1, as AWS reports it.
    private static int Port(JsonElement rule, string property) => rule.TryGetProperty(property, out JsonElement value) ? value.GetInt32() : -1;

    private static string? OptionalString(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) ? value.GetString() : null;

    // for_each = toset([ "a", "b", ]) comes back from the parser as that expression's source text.
    private static IEnumerable<string> ForEachSet(string expression)
    {
        Match set = ForEachToSet().Match(expression);
        if (!set.Success)
        {
            throw new FormatException($"for_each is not a literal toset([...]): {expression}");
        }

        return set.Groups["item"].Captures.Select(c => JsonSerializer.Deserialize<string>(c.Value)!);
    }

    [GeneratedRegex("""^\$\{(?<type>[a-z0-9_]+)\.(?<name>[a-z0-9_]+)\.id\}$""")]
    private static partial Regex Reference();

    [GeneratedRegex("""^\$\{toset\(\[\s*(?:(?<item>"[^"\\$%]*"),\s*)*\]\)\}$""")]
    private static partial Regex ForEachToSet();
}
