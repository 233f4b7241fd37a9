using FirewallRules.Emitters.Gcp;
using FirewallRules.Rules;

// Same namespace as RuleSet: one using gives users the rules and every way to render them.
namespace FirewallRules;

/// <summary>Renders rule sets as Google Cloud VPC firewall rules: a gcloud script and Terraform.</summary>
public static class GcpRendering
{
    /// <summary>A bash script of <c>gcloud compute firewall-rules</c> calls (format <c>gcp-firewall</c>; see <see cref="GcloudFirewallEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Network, targets, priorities and limits; <see cref="GcpFirewallOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">The rules would not fit GCP's names or priorities.</exception>
    public static string ToGcloudFirewall(this RuleSet rules, GcpFirewallOptions? options = null) => rules.Render(new GcloudFirewallEmitter(options));

    /// <summary><c>google_compute_firewall</c> resources (format <c>terraform-gcp</c>; see <see cref="TerraformGcpEmitter"/>).</summary>
    /// <param name="rules">The rules.</param>
    /// <param name="options">Network, targets, priorities and limits; <see cref="GcpFirewallOptions"/> defaults when null.</param>
    /// <exception cref="RuleGenerationException">The rules would not fit GCP's names or priorities.</exception>
    public static string ToTerraformGcp(this RuleSet rules, GcpFirewallOptions? options = null) => rules.Render(new TerraformGcpEmitter(options));
}
