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
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "bash script: gcloud compute firewall-rules create/update, one family and 256 ranges per rule";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit GCP's names or priorities.</exception>
    public void Write(PreparedRules rules, TextWriter output)
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

            {{GcloudFirewallScript.ApplyRule}}
            """);
        foreach (GcpFirewallRule rule in plan.FirewallRules)
        {
            output.Write('\n');
            if (_options.Comments)
            {
                CommentText.Write(output, "#", [rule.Description]);
            }

            GcloudFirewallScript.WriteRule(output, rule, _options);
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
}
