using System.Text.Json;
using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>aws-sg</c>: a bash script of <c>aws ec2 authorize-security-group-egress|ingress --ip-permissions</c>
/// calls, one per security group, with the permissions as JSON (IpRanges and Ipv6Ranges with descriptions).
/// </summary>
/// <remarks>
/// <para>The group ids are never part of the script: it reads them at run time from variables named after the
/// groups (<c>DATADOG_EGRESS_1</c>, ...), checks that each looks like <c>sg-</c> and 8 or 17 hexadecimal
/// digits before changing anything, and passes them quoted.</para>
/// <para>Authorizing adds rules, and fails on rules already present, so run it against new, empty groups; to
/// update a list in place use <see cref="CloudFormationEmitter"/> or <see cref="TerraformEmitter"/>, which replace
/// rules. For egress groups the script then revokes AWS's default allow-all outbound rules
/// (<see cref="AwsSecurityGroupOptions.RevokeDefaultEgress"/>).</para>
/// </remarks>
public sealed class AwsCliEmitter : IRuleEmitter
{
    // A JSON property name, not this class\'s Description (CA1507).
    private static readonly JsonEncodedText DescriptionProperty = JsonEncodedText.Encode("Description");

    // One --ip-permissions argument must stay under Linux's 128 KiB per argument (MAX_ARG_STRLEN) however high the
    // quota: 100 ranges take about 15 KB.
    private const int RangesPerCall = 100;

    private readonly AwsSecurityGroupOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    public AwsCliEmitter(AwsSecurityGroupOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "aws-sg";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "bash script: aws ec2 authorize-security-group-* per security group (ids from DATADOG_EGRESS_1, ...)";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered (see <see cref="AwsPlan.Create"/>), or prefix lists were asked for.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        if (_options.UsePrefixLists)
        {
            throw new RuleGenerationException("the aws-sg script does not manage prefix lists", new SettingAdvice(
                "use aws-cloudformation or terraform for {0}", SettingNames.Of<AwsSecurityGroupOptions>(nameof(AwsSecurityGroupOptions.UsePrefixLists))));
        }

        AwsPlan plan = AwsPlan.Create(rules, _options, maxListEntries: 0);
        output.Write("#!/usr/bin/env bash\n");
        if (_options.Comments)
        {
            WriteHeader(plan, output);
            output.Write('\n');
        }

        bool revokes = _options.RevokeDefaultEgress && plan.Groups.Any(g => g.Direction == Direction.Egress);
        WriteFunctions(output, revokes);
        WriteAuthorizations(output, plan);
        if (revokes)
        {
            WriteRevokes(output, plan);
        }
    }

    // The shell functions the commands below call: group_id always, revoke_default_egress when egress groups revoke.
    private static void WriteFunctions(TextWriter output, bool revokes)
    {
        output.Write("set -euo pipefail\n\n");
        output.Write("""
            # Prints the id in the variable named $1, or stops before any change if it is not a security group id.
            group_id() {
              local id=${!1:-}
              if [[ ! $id =~ ^sg-[0-9a-f]{8}([0-9a-f]{9})?$ ]]; then
                printf 'set %s to the id of security group %s (sg- and 8 or 17 hex digits)\n' "$1" "$2" >&2
                exit 2
              fi
              printf '%s' "$id"
            }

            """);
        if (revokes)
        {
            output.Write("""

                # Revokes one of AWS's default outbound rules from group $1; a rule already gone is fine.
                revoke_default_egress() {
                  local result
                  if ! result=$(aws ec2 revoke-security-group-egress --group-id "$1" --ip-permissions "$2" 2>&1); then
                    case $result in
                      *InvalidPermission.NotFound*) ;;
                      *) printf '%s\n' "$result" >&2; return 1 ;;
                    esac
                  fi
                }

                """);
        }
    }

    private void WriteAuthorizations(TextWriter output, AwsPlan plan)
    {
        output.Write('\n');
        foreach (AwsSecurityGroup group in plan.Groups)
        {
            output.Write($"{group.Identifier}=$(group_id {Variable(group)} {ShellQuote.Argument(group.Name)})\n");
        }

        foreach (AwsSecurityGroup group in plan.Groups)
        {
            output.Write('\n');
            if (_options.Comments)
            {
                CommentText.Write(output, "#", [$"{group.Name}: {group.Summary}"]);
            }

            string verb = group.Direction == Direction.Egress ? "authorize-security-group-egress" : "authorize-security-group-ingress";
            foreach (IReadOnlyList<AwsPermission> batch in Batches(group.Permissions))
            {
                string permissions = JsonText.Write(writer => WritePermissions(writer, batch, _options.Comments));
                output.Write($"aws ec2 {verb} --group-id \"${group.Identifier}\" --ip-permissions {ShellQuote.Argument(permissions)} >/dev/null\n");
            }
        }
    }

    private void WriteRevokes(TextWriter output, AwsPlan plan)
    {
        output.Write('\n');
        if (_options.Comments)
        {
            CommentText.Write(output, "#", ["A new VPC security group allows all outbound traffic: remove that rule so only the rules above remain."]);
        }

        foreach (AwsSecurityGroup group in plan.Groups.Where(g => g.Direction == Direction.Egress))
        {
            foreach (string family in new[] { "0.0.0.0/0", "::/0" })
            {
                string permission = JsonText.Write(writer => WriteAllTraffic(writer, family), indented: false);
                output.Write($"revoke_default_egress \"${group.Identifier}\" {ShellQuote.Argument(permission)}\n");
            }
        }
    }

    /// <summary>The variable the script reads a group's id from, e.g. <c>DATADOG_EGRESS_1</c>.</summary>
    internal static string Variable(AwsSecurityGroup group) => group.Identifier.ToUpperInvariant();

    private static void WriteHeader(AwsPlan plan, TextWriter output)
    {
        var lines = new List<string> { "Datadog IP ranges as AWS security group rules, for the AWS CLI (fwrules format aws-sg)." };
        lines.AddRange(plan.Rules.Describe());
        lines.Add(string.Empty);
        lines.Add("Run with each group's id in its variable, for example:");
        lines.Add("  " + string.Join(" ", plan.Groups.Select(g => $"{Variable(g)}=sg-...")) + " bash this-script.sh");
        lines.Add("Authorizing adds rules and fails on rules a group already has (InvalidPermission.Duplicate):");
        lines.Add("use new, empty groups, or the aws-cloudformation or terraform formats, which replace rules.");
        lines.AddRange(plan.Notes);
        CommentText.Write(output, "#", lines);
    }

    // The group's rules in calls of at most RangesPerCall ranges; a permission may continue in the next call.
    private static IEnumerable<IReadOnlyList<AwsPermission>> Batches(IReadOnlyList<AwsPermission> permissions) =>
        permissions
            .SelectMany(p => p.IPv4.Concat(p.IPv6).Select(cidr => (Permission: p, Cidr: cidr)))
            .Chunk(RangesPerCall)
            .Select(batch => batch
                .GroupBy(e => e.Permission)
                .Select(g => g.Key with
                {
                    IPv4 = g.Where(e => e.Cidr.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).Select(e => e.Cidr).ToArray(),
                    IPv6 = g.Where(e => e.Cidr.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork).Select(e => e.Cidr).ToArray(),
                })
                .ToArray());

    private static void WritePermissions(Utf8JsonWriter writer, IReadOnlyList<AwsPermission> permissions, bool descriptions)
    {
        writer.WriteStartArray();
        foreach (AwsPermission permission in permissions)
        {
            writer.WriteStartObject();
            writer.WriteString("IpProtocol", permission.Protocol);
            writer.WriteNumber("FromPort", permission.Rule.Port.First);
            writer.WriteNumber("ToPort", permission.Rule.Port.Last);
            string? description = descriptions ? permission.Description : null;
            WriteRanges(writer, "IpRanges", "CidrIp", permission.IPv4, description);
            WriteRanges(writer, "Ipv6Ranges", "CidrIpv6", permission.IPv6, description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRanges(Utf8JsonWriter writer, string property, string cidrProperty, IReadOnlyList<System.Net.IPNetwork> cidrs, string? description)
    {
        if (cidrs.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(property);
        foreach (System.Net.IPNetwork cidr in cidrs)
        {
            writer.WriteStartObject();
            writer.WriteString(cidrProperty, cidr.ToString());
            if (description is not null)
            {
                writer.WriteString(DescriptionProperty, description);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteAllTraffic(Utf8JsonWriter writer, string cidr)
    {
        bool v6 = cidr.Contains(':', StringComparison.Ordinal);
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("IpProtocol", "-1");
        writer.WriteStartArray(v6 ? "Ipv6Ranges" : "IpRanges");
        writer.WriteStartObject();
        writer.WriteString(v6 ? "CidrIpv6" : "CidrIp", cidr);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
