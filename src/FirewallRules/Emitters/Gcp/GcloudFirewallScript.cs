using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Gcp;

/// <summary>Planned firewall rules as gcloud calls: what <c>gcp-firewall</c> and the Private Service Connect script write.</summary>
internal static class GcloudFirewallScript
{
    /// <summary>The bash function the calls go through: create a rule, or update in place what gcloud can change when it exists.</summary>
    public const string ApplyRule = """
        # Creates rule $1 with the other arguments, or updates the ones gcloud can change in place when it exists.
        apply_rule() {
          local name=$1 create=() update=()
          shift
          while [ $# -gt 0 ]; do
            case $1 in
              --direction=*|--network=*|--action=*) create+=("$1") ;;
              *) create+=("$1"); update+=("$1") ;;
            esac
            shift
          done
          if gcloud compute firewall-rules describe "$name" --format='value(name)' >/dev/null 2>&1; then
            gcloud compute firewall-rules update "$name" "${update[@]}" --quiet
          else
            gcloud compute firewall-rules create "$name" "${create[@]}" --quiet
          fi
        }
        """;

    /// <summary>One <c>apply_rule</c> call, its arguments one per line, each quoted for the shell.</summary>
    public static void WriteRule(TextWriter output, GcpFirewallRule rule, GcpFirewallOptions options)
    {
        var lines = new List<string>
        {
            $"apply_rule {ShellQuote.Argument(rule.Name)}",
            $"--direction={rule.DirectionName} --network=\"$network\" --priority={rule.Priority}",
            $"--action={rule.ActionName.ToUpperInvariant()} --rules={ShellQuote.Argument(rule.GcloudRules)}",
            $"--{(rule.Direction == Direction.Egress ? "destination" : "source")}-ranges={ShellQuote.Argument(string.Join(",", rule.Ranges))}",
        };
        if (options.TargetTags.Count > 0)
        {
            lines.Add($"--target-tags={ShellQuote.Argument(string.Join(",", options.TargetTags))}");
        }

        if (options.TargetServiceAccounts.Count > 0)
        {
            lines.Add($"--target-service-accounts={ShellQuote.Argument(string.Join(",", options.TargetServiceAccounts))}");
        }

        if (options.Comments)
        {
            lines.Add($"--description={ShellQuote.Argument(rule.Description)}");
        }

        output.Write(string.Join(" \\\n  ", lines));
        output.Write('\n');
    }
}
