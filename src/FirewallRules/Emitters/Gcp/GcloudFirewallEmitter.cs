using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// Format <c>gcp-firewall</c>: a bash script of <c>gcloud compute firewall-rules</c> calls that creates the rules, or
/// updates them in place when they exist (no gap), then deletes rules of the network named <c>{Name}-*</c> that an
/// earlier run left and this one no longer defines.
/// </summary>
/// <remarks>
/// Runs against gcloud's configured project (<c>CLOUDSDK_CORE_PROJECT</c> or <c>gcloud config set project</c>). Every
/// value reaches gcloud as one quoted argument; names, tags and the network are validated first.
/// </remarks>
public sealed class GcloudFirewallEmitter : IRuleEmitter
{
    private readonly GcpFirewallOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="GcpFirewallOptions"/> defaults when null.</param>
    public GcloudFirewallEmitter(GcpFirewallOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "gcp-firewall";

    /// <inheritdoc/>
    public string Description => "bash script: gcloud compute firewall-rules create/update, one family and 256 ranges per rule";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit GCP's names or priorities.</exception>
    public void Write(RuleSet rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        GcpFirewallPlan plan = GcpFirewallPlan.Create(rules, _options);
        output.Write("#!/usr/bin/env bash\n");
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as Google Cloud VPC firewall rules, for gcloud (fwrules format gcp-firewall)." };
            header.AddRange(plan.Rules.Describe());
            header.Add(string.Empty);
            header.Add($"Creates the rules below in network {_options.Network} of gcloud's configured project, or updates them where they exist,");
            header.Add($"then deletes rules named {_options.Name}-* in that network that this script does not define (left by an earlier run).");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        output.Write($$"""
            set -euo pipefail

            network={{ShellQuote.Argument(_options.Network)}}

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

            """);
        foreach (GcpFirewallRule rule in plan.FirewallRules)
        {
            output.Write('\n');
            if (_options.Comments)
            {
                CommentText.Write(output, "#", [rule.Description]);
            }

            WriteRule(output, rule);
        }

        string wanted = " " + string.Join(" ", plan.FirewallRules.Select(r => r.Name)) + " ";
        output.Write('\n');
        if (_options.Comments)
        {
            CommentText.Write(output, "#", [$"Delete {_options.Name}-* rules of the network that this script does not define, last, so that no traffic goes unruled."]);
        }

        output.Write($$"""
            wanted={{ShellQuote.Argument(wanted)}}
            gcloud compute firewall-rules list --filter={{ShellQuote.Argument($"name ~ ^{_options.Name}- AND network ~ /networks/{_options.Network}$")}} --format='value(name)' |
              while IFS= read -r rule; do
                case $wanted in
                  *" $rule "*) ;;
                  *) gcloud compute firewall-rules delete "$rule" --quiet ;;
                esac
              done

            """);
    }

    private void WriteRule(TextWriter output, GcpFirewallRule rule)
    {
        var lines = new List<string>
        {
            $"apply_rule {ShellQuote.Argument(rule.Name)}",
            $"--direction={rule.DirectionName} --network=\"$network\" --priority={rule.Priority}",
            $"--action={rule.ActionName.ToUpperInvariant()} --rules={ShellQuote.Argument(rule.GcloudRules)}",
            $"--{(rule.Direction == Direction.Egress ? "destination" : "source")}-ranges={ShellQuote.Argument(string.Join(",", rule.Ranges))}",
        };
        if (_options.TargetTags.Count > 0)
        {
            lines.Add($"--target-tags={ShellQuote.Argument(string.Join(",", _options.TargetTags))}");
        }

        if (_options.TargetServiceAccounts.Count > 0)
        {
            lines.Add($"--target-service-accounts={ShellQuote.Argument(string.Join(",", _options.TargetServiceAccounts))}");
        }

        if (_options.Comments)
        {
            lines.Add($"--description={ShellQuote.Argument(rule.Description)}");
        }

        output.Write(string.Join(" \\\n  ", lines));
        output.Write('\n');
    }
}
