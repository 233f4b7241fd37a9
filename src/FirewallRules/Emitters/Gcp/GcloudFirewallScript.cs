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
    /// <remarks>
    /// The ranges are written from their numbers as they go: a prefix's text (digits, hex letters, <c>.</c>, <c>:</c>
    /// and <c>/</c>) and the commas between are characters <see cref="ShellQuote.Argument"/> leaves as they are.
    /// </remarks>
    public static void WriteRule(TextWriter output, GcpFirewallRule rule, GcpFirewallOptions options)
    {
        output.Write($"apply_rule {ShellQuote.Argument(rule.Name)}");
        Argument(output, $"--direction={rule.DirectionName} --network=\"$network\" --priority={rule.Priority}");
        Argument(output, $"--action={rule.ActionName.ToUpperInvariant()} --rules={ShellQuote.Argument(rule.GcloudRules)}");
        Argument(output, $"--{(rule.Direction == Direction.Egress ? "destination" : "source")}-ranges=");
        rule.Ranges.WriteEach(output, string.Empty, ",");
        if (options.TargetTags.Count > 0)
        {
            Argument(output, $"--target-tags={ShellQuote.Argument(string.Join(",", options.TargetTags))}");
        }

        if (options.TargetServiceAccounts.Count > 0)
        {
            Argument(output, $"--target-service-accounts={ShellQuote.Argument(string.Join(",", options.TargetServiceAccounts))}");
        }

        if (options.Comments)
        {
            Argument(output, $"--description={ShellQuote.Argument(rule.Description)}");
        }

        output.Write('\n');
    }

    // The next line of arguments, after the previous line's continuation.
    private static void Argument(TextWriter output, string line)
    {
        output.Write(" \\\n  ");
        output.Write(line);
    }
}
