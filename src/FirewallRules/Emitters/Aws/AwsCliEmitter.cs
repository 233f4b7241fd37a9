using System.Text.Json;
using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>aws-sg</c>: a bash script of <c>aws ec2 authorize-security-group-egress|ingress --ip-permissions</c>
/// calls for new security groups, with the permissions as JSON (IpRanges and Ipv6Ranges with descriptions).
/// </summary>
/// <remarks>
/// <para>The group ids are never part of the script: it reads them at run time from variables named after the
/// groups (<c>DATADOG_EGRESS_1</c>, ...), checks that each looks like <c>sg-</c> and 8 or 17 hexadecimal
/// digits, and passes them quoted.</para>
/// <para>Authorizing adds rules, so the script fills new groups only: before any change it checks that every group
/// exists and holds no rule but AWS's default allow-all outbound rules, and stops otherwise. To update a list in
/// place use <see cref="CloudFormationEmitter"/> or <see cref="TerraformEmitter"/>, which replace rules.</para>
/// <para>The changes are numbered steps. First each egress group loses AWS's default allow-all outbound rules
/// (<see cref="AwsSecurityGroupOptions.RevokeDefaultEgress"/>; the groups are new and not attached, so nothing is
/// cut, and a group never holds more rules than the quota), and so does each ingress group when the rules allow egress too
/// (the hosts hold both, and groups add up), then each step authorizes one permission (one port)
/// of one group, at most 200 ranges, in one API call. A failed step stops the script, which lists the steps
/// applied and says how to resume (<c>--from N</c>) or undo.</para>
/// </remarks>
public sealed class AwsCliEmitter : IRuleEmitter
{
    // A JSON property name, not this class\'s Description (CA1507).
    private static readonly JsonEncodedText DescriptionProperty = JsonEncodedText.Encode("Description");

    // One --ip-permissions argument must stay under Linux's 128 KiB per argument (MAX_ARG_STRLEN) however high the
    // quota: a range with the longest description AWS allows takes about 320 bytes, so 200 take at most 64 KB. At
    // the default quota of 60 per family, every permission of a group fits one call.
    private const int RangesPerCall = 200;

    // Bash functions every script defines: reading the group ids, the --from option, the steps and the check that
    // the groups are new. The steps' count is set before them.
    private const string Functions = """
        # Prints the id in the variable named $1, or stops before any change if it is not a security group id.
        group_id() {
          local id=${!1:-}
          if [[ ! $id =~ ^sg-[0-9a-f]{8}([0-9a-f]{9})?$ ]]; then
            printf 'set %s to the id of security group %s (sg- and 8 or 17 hex digits)\n' "$1" "$2" >&2
            exit 2
          fi
          printf '%s' "$id"
        }

        from=1
        if (( $# > 0 )); then
          if [[ $# -ne 2 || $1 != --from || ! $2 =~ ^[1-9][0-9]{0,5}$ ]] || (( $2 > steps )); then
            printf 'usage: bash %s [--from STEP]   (STEP 1 to %d: resume at the step that failed)\n' "$0" "$steps" >&2
            exit 2
          fi
          from=$2
        fi

        # Runs step $1, described by $2, with the command that follows, unless resuming at a later step. When it
        # fails, says what was applied and how to resume or undo, then stops.
        applied=()
        step() {
          local number=$1 what=$2
          shift 2
          if (( number < from )); then
            return 0
          fi
          if ! "$@" >/dev/null; then
            printf '\nStep %d of %d failed: %s.\n' "$number" "$steps" "$what" >&2
            if (( from > 1 )); then
              printf 'Steps 1 to %d were applied by an earlier run.\n' "$((from - 1))" >&2
            fi
            if (( ${#applied[@]} > 0 )); then
              printf 'Applied by this run:\n' >&2
              printf '  %s\n' "${applied[@]}" >&2
            fi
            printf 'Each step is one call that AWS applies whole or not at all, or a revoke that can be repeated.\n' >&2
            printf 'To resume once the cause is fixed, run again with the same group ids: bash %s --from %d\n' "$0" "$number" >&2
            printf 'To undo, delete the groups, which are new (aws ec2 delete-security-group --group-id ID), and start again with new ones.\n' >&2
            exit 1
          fi
          applied+=("$number. $what")
        }

        # Reads the rules of the groups $@, which must all exist: the ids of AWS's default allow-all outbound rules go
        # to default_rules ("GROUP RULE" lines). Unless resuming, stops before any change if a group holds another rule.
        read_rules() {
          local ids rules group rule default others=
          ids=$(IFS=,; printf '%s' "$*")
          if ! aws ec2 describe-security-groups --group-ids "$@" --output text --query 'SecurityGroups[].GroupId' >/dev/null ||
            ! rules=$(aws ec2 describe-security-group-rules --filters "Name=group-id,Values=$ids" --output text \
              --query "SecurityGroupRules[].[GroupId, SecurityGroupRuleId, IsEgress && IpProtocol == '-1' && (CidrIpv4 == '0.0.0.0/0' || CidrIpv6 == '::/0')]"); then
            printf 'Nothing was changed: the groups could not be read (above).\n' >&2
            exit 1
          fi
          default_rules=
          while read -r group rule default; do
            case $default in
              True) default_rules+="$group $rule"$'\n' ;;
              False) others+=" $group" ;;
            esac
          done <<<"$rules"
          if [[ -n $others ]] && (( from == 1 )); then
            printf 'Nothing was changed: %s already hold rules besides the defaults of a new group.\n' "$(printf '%s\n' $others | sort -u | paste -sd ' ')" >&2
            printf 'This script fills new groups: use new ones, or the aws-cloudformation or terraform formats, which replace rules.\n' >&2
            exit 1
          fi
        }

        """;

    // Revokes the allow-all outbound rules AWS gives a new VPC security group (IPv4, and IPv6 in a VPC with IPv6).
    private const string RevokeFunction = """

        # Revokes AWS's default allow-all outbound rules from group $1, found by read_rules; none left is fine.
        revoke_default_egress() {
          local -a rules
          read -r -a rules <<<"$(printf '%s' "$default_rules" | awk -v group="$1" '$1 == group { print $2 }' | paste -sd ' ')"
          if (( ${#rules[@]} > 0 )); then
            aws ec2 revoke-security-group-egress --group-id "$1" --security-group-rule-ids "${rules[@]}"
          fi
        }

        """;

    private readonly AwsSecurityGroupOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    public AwsCliEmitter(AwsSecurityGroupOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "aws-sg";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "bash script: aws ec2 authorize-security-group-* for new security groups (ids from DATADOG_EGRESS_1, ...)";

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
        List<ScriptStep> steps = Steps(plan);
        output.Write("#!/usr/bin/env bash\n");
        if (_options.Comments)
        {
            WriteHeader(plan, steps, output);
            output.Write('\n');
        }

        output.Write($"set -euo pipefail\n\nsteps={steps.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n\n");
        output.Write(Functions);
        if (steps.Exists(s => s.Revokes))
        {
            output.Write(RevokeFunction);
        }

        output.Write('\n');
        foreach (AwsSecurityGroup group in plan.Groups)
        {
            output.Write($"{group.Identifier}=$(group_id {Variable(group)} {ShellQuote.Argument(group.Name)})\n");
        }

        output.Write($"\nread_rules {string.Join(' ', plan.Groups.Select(g => $"\"${g.Identifier}\""))}\n");
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i].Comment is string comment)
            {
                output.Write('\n');
                if (_options.Comments)
                {
                    CommentText.Write(output, "#", [comment]);
                }
            }

            output.Write($"step {i + 1} {ShellQuote.Argument(steps[i].What)} {steps[i].Command}\n");
        }
    }

    /// <summary>The variable the script reads a group's id from, e.g. <c>DATADOG_EGRESS_1</c>.</summary>
    internal static string Variable(AwsSecurityGroup group) => group.Identifier.ToUpperInvariant();

    private static void WriteHeader(AwsPlan plan, List<ScriptStep> steps, TextWriter output)
    {
        string count = steps.Count == 1 ? "one step" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{steps.Count} numbered steps");
        var lines = new List<string> { "Datadog IP ranges as AWS security group rules, for the AWS CLI (fwrules format aws-sg)." };
        lines.AddRange(plan.Rules.Describe());
        lines.Add(string.Empty);
        lines.Add("Create the groups, leave them unattached, and run with each group's id in its variable:");
        lines.Add("  " + string.Join(" ", plan.Groups.Select(g => $"{Variable(g)}=sg-...")) + " bash this-script.sh");
        lines.Add("It fills new groups only: before any change it checks that every group exists and holds no rule but");
        lines.Add("AWS's default allow-all outbound rules, and stops otherwise. To update rules in place, use the");
        lines.Add("aws-cloudformation or terraform formats, which replace rules.");
        if (steps.Exists(s => s.Revokes))
        {
            lines.Add($"It works in {count}. First the egress groups lose AWS's default allow-all outbound rules (they are");
            lines.Add("not attached, so nothing is cut); then each step authorizes one port's ranges in one group, in one call.");
            if (plan.IngressGroupsAllowNoEgress)
            {
                lines.Add("The ingress groups lose those rules too: the hosts hold them beside the egress groups, and groups add up,");
                lines.Add("so an ingress group's default would allow all outbound traffic.");
            }
        }
        else
        {
            lines.Add($"It works in {count}: each authorizes one port's ranges in one group, in one call.");
        }

        lines.Add("If a step fails, the script lists the steps applied and stops: run it again with --from N to resume at");
        lines.Add("step N, or delete the groups to undo.");
        lines.AddRange(plan.Notes);
        CommentText.Write(output, "#", lines);
    }

    // Every change the script makes, in order: revoking the default egress rules first, so that a group never holds
    // more rules than the quota, then each permission of each group in calls of at most RangesPerCall ranges.
    private List<ScriptStep> Steps(AwsPlan plan)
    {
        var steps = new List<ScriptStep>();
        if (_options.RevokeDefaultEgress)
        {
            // Ingress groups beside egress groups sit on the same hosts, and groups add up: they must allow no outbound traffic.
            steps.AddRange(plan.Groups.Where(g => g.Direction == Direction.Egress || plan.IngressGroupsAllowNoEgress).Select((group, i) => new ScriptStep(
                i == 0 ? "A new VPC security group allows all outbound traffic: remove that first, so only the rules below remain." : null,
                $"revoke AWS's default allow-all outbound rules from {group.Name}",
                $"revoke_default_egress \"${group.Identifier}\"",
                Revokes: true)));
        }

        foreach (AwsSecurityGroup group in plan.Groups)
        {
            string verb = group.Direction == Direction.Egress ? "authorize-security-group-egress" : "authorize-security-group-ingress";
            string? comment = $"{group.Name}: {group.Summary}";
            foreach (AwsPermission batch in group.Permissions.SelectMany(Batches))
            {
                string permissions = JsonText.Write(writer => WritePermission(writer, batch, _options.Comments));
                int ranges = batch.IPv4.Count + batch.IPv6.Count;
                string what = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{group.Name}: allow {batch.Rule.Port} {(group.Direction == Direction.Egress ? "to" : "from")} {ranges} {(ranges == 1 ? "range" : "ranges")}");
                steps.Add(new ScriptStep(comment, what, $"aws ec2 {verb} --group-id \"${group.Identifier}\" --ip-permissions {ShellQuote.Argument(permissions)}", Revokes: false));
                comment = null;
            }
        }

        return steps;
    }

    // A permission's ranges in parts of at most RangesPerCall, IPv4 first: each part is one call, which AWS applies
    // whole or not at all.
    private static IEnumerable<AwsPermission> Batches(AwsPermission permission) =>
        permission.IPv4.Concat(permission.IPv6)
            .Chunk(RangesPerCall)
            .Select(part => permission with
            {
                IPv4 = part.Where(c => c.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).ToArray(),
                IPv6 = part.Where(c => c.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork).ToArray(),
            });

    private static void WritePermission(Utf8JsonWriter writer, AwsPermission permission, bool descriptions)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("IpProtocol", permission.Protocol);
        writer.WriteNumber("FromPort", permission.Rule.Port.First);
        writer.WriteNumber("ToPort", permission.Rule.Port.Last);
        string? description = descriptions ? permission.Description : null;
        WriteRanges(writer, "IpRanges", "CidrIp", permission.IPv4, description);
        WriteRanges(writer, "Ipv6Ranges", "CidrIpv6", permission.IPv6, description);
        writer.WriteEndObject();
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

    // One change of the script: an optional comment before it, what it does (in messages), and the command.
    private sealed record ScriptStep(string? Comment, string What, string Command, bool Revokes);
}
