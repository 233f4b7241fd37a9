using FirewallRules.Emitters.Cloud;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// A Private Service Connect plan as Terraform for the <c>hashicorp/google</c> provider, as Datadog's guide lays it out:
/// per service attachment a <c>google_compute_address</c> (internal, in the endpoints' subnetwork) and a
/// <c>google_compute_forwarding_rule</c> to it, in Datadog's region; per private DNS name a private
/// <c>google_dns_managed_zone</c> on the network with its <c>google_dns_record_set</c>s; and the agents' firewall rules.
/// </summary>
/// <remarks>Variables <c>{name}_network</c> (default <see cref="GcpFirewallOptions.Network"/>) and <c>{name}_subnetwork</c>.</remarks>
internal sealed class PrivateServiceConnectTerraformWriter(GcpFirewallOptions options) : IPlanWriter<PrivateServiceConnectPlan>
{
    public string Format => HclWriter.TerraformFormat;

    public EmitterOptions Options => options;

    public RuleSet RulesOf(PrivateServiceConnectPlan plan) => plan.Rules;

    public void Write(PrivateServiceConnectPlan plan, PreparedRules rules, TextWriter output)
    {
        GcpFirewallPlan firewall = GcpFirewallPlan.Create(rules, options);
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveEndpoints();
        IReadOnlyList<PrivateZone> zones = plan.Zones();
        string prefix = options.Name.Replace('-', '_');
        string network = $"{prefix}_network";
        string subnetwork = $"{prefix}_subnetwork";
        if (options.Comments)
        {
            var header = new List<string>
            {
                $"Datadog over Google Cloud Private Service Connect for {plan.Site}: endpoints in {plan.Region}, private Cloud DNS zones. " +
                $"For Terraform (fwrules privatelink, format {Format})."
            };
            header.AddRange(firewall.Rules.Describe());
            header.Add(
                $"Needs the hashicorp/google provider; var.{network} names the VPC network, var.{subnetwork} the subnetwork " +
                $"(within {string.Join(", ", plan.EndpointSubnets)}) the endpoints' addresses are reserved in.");
            header.AddRange(PrivateServiceConnectText.Guidance(plan, endpoints));
            header.AddRange(firewall.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        GcpFirewallHcl.WriteNetworkVariable(output, network, options.Network);
        output.Write($"\nvariable {HclString.Quote(subnetwork)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("description", HclString.Quote($"The subnetwork, in {plan.Region}, to reserve the endpoints' internal addresses in.")),
            ("type", "string"),
        ]);
        output.Write($"}}\n\ndata \"google_compute_network\" {HclString.Quote(prefix)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [("name", $"var.{network}")]);
        output.Write("}\n");
        WriteEndpoints(output, plan, endpoints, prefix, subnetwork);
        foreach (PrivateZone zone in zones)
        {
            WriteZone(output, zone, prefix);
        }

        foreach (GcpFirewallRule rule in firewall.FirewallRules)
        {
            GcpFirewallHcl.WriteRule(output, rule, $"var.{network}", options);
        }
    }

    private void WriteEndpoints(TextWriter output, PrivateServiceConnectPlan plan, IReadOnlyList<InterfaceEndpoint> endpoints, string prefix, string subnetwork)
    {
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            string id = Identifier(endpoint.Key);
            output.Write($"\nresource \"google_compute_address\" {HclString.Quote(id)} {{\n");
            HclWriter.WriteAttributes(output, "  ", [
                ("name", HclString.Quote(ResourceName(endpoint.Key))),
                ("region", HclString.Quote(plan.Region)),
                ("subnetwork", $"var.{subnetwork}"),
                ("address_type", HclString.Quote("INTERNAL")),
            ]);
            output.Write($"}}\n\nresource \"google_compute_forwarding_rule\" {HclString.Quote(id)} {{\n");
            var attributes = new List<(string Key, string Value)>
            {
                ("name", HclString.Quote(ResourceName(endpoint.Key))),
                ("region", HclString.Quote(plan.Region)),
                ("network", $"data.google_compute_network.{prefix}.id"),
                ("ip_address", $"google_compute_address.{id}.id"),
                ("target", HclString.Quote(endpoint.ServiceName)),
                ("load_balancing_scheme", HclString.Quote(string.Empty)),
            };
            if (plan.GlobalAccess)
            {
                attributes.Add(("allow_psc_global_access", "true"));
            }

            HclWriter.WriteAttributes(output, "  ", attributes);
            output.Write("}\n");
        }
    }

    private void WriteZone(TextWriter output, PrivateZone zone, string prefix)
    {
        string id = Identifier(zone.DnsName.Replace('.', '-'));
        output.Write($"\nresource \"google_dns_managed_zone\" {HclString.Quote(id)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("name", HclString.Quote(ResourceName(zone.DnsName.Replace('.', '-')))),
            ("dns_name", HclString.Quote(zone.DnsName + ".")),
            ("visibility", HclString.Quote("private")),
            ("description", HclString.Quote($"Datadog Private Service Connect: {zone.DnsName} to its endpoint (managed by FirewallRules)")),
        ]);
        output.Write("\n  private_visibility_config {\n    networks {\n");
        HclWriter.WriteAttributes(output, "      ", [("network_url", $"data.google_compute_network.{prefix}.id")]);
        output.Write("    }\n  }\n}\n");
        foreach ((string name, string endpointKey) in zone.Records)
        {
            string record = name == "@" ? id : $"{id}_{(name == "*" ? "wildcard" : name)}";
            output.Write($"\nresource \"google_dns_record_set\" {HclString.Quote(record)} {{\n");
            HclWriter.WriteAttributes(output, "  ", [
                ("managed_zone", $"google_dns_managed_zone.{id}.name"),
                ("name", HclString.Quote((name == "@" ? string.Empty : name + ".") + zone.DnsName + ".")),
                ("type", HclString.Quote("A")),
                ("ttl", "300"),
                ("rrdatas", $"[google_compute_address.{Identifier(endpointKey)}.address]"),
            ]);
            output.Write("}\n");
        }
    }

    private string ResourceName(string part) => PrivateServiceConnectText.ResourceName(options, part);

    private string Identifier(string part) => $"{options.Name}_{part}".Replace('-', '_');
}
