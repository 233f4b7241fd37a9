using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// Format <c>terraform-gcp</c>: HCL for the <c>hashicorp/google</c> provider, one <c>google_compute_firewall</c> per
/// planned rule (see <see cref="GcloudFirewallEmitter"/> for the same rules as a script), and a variable
/// <c>{name}_network</c> defaulting to <see cref="GcpFirewallOptions.Network"/>.
/// </summary>
/// <remarks>Strings are escaped for HCL templates.</remarks>
public sealed class TerraformGcpEmitter : IRuleEmitter
{
    private readonly GcpFirewallOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="GcpFirewallOptions"/> defaults when null.</param>
    public TerraformGcpEmitter(GcpFirewallOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "terraform-gcp";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Terraform: google_compute_firewall rules, one family and 256 ranges per rule, egress deny";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit GCP's names or priorities.</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        GcpFirewallPlan plan = GcpFirewallPlan.Create(rules, _options);
        string prefix = _options.Name.Replace('-', '_');
        string network = $"{prefix}_network";
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as Google Cloud VPC firewall rules, for Terraform (fwrules format terraform-gcp)." };
            header.AddRange(plan.Rules.Describe());
            header.Add($"Needs the hashicorp/google provider; var.{network} names the VPC network.");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        GcpFirewallHcl.WriteNetworkVariable(output, network, _options.Network);
        foreach (GcpFirewallRule rule in plan.FirewallRules)
        {
            GcpFirewallHcl.WriteRule(output, rule, $"var.{network}", _options);
        }
    }
}
