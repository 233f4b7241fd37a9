using FirewallRules.Emitters.Cloud;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// A Private Service Connect plan as a bash script of gcloud calls, in the guide's order: reserve each endpoint's internal
/// address, create its forwarding rule, create each private zone and its records, then the agents' firewall rules. Each
/// step is skipped when its resource exists (records are updated to the current address), so the script can run again.
/// </summary>
/// <remarks>The subnetwork comes from <c>{NAME}_SUBNETWORK</c> at run time, always passed quoted; every other value is validated and quoted.</remarks>
internal sealed class PrivateServiceConnectGcloudWriter(GcpFirewallOptions options) : IPlanWriter<PrivateServiceConnectPlan>
{
    public string Format => "gcp-firewall";

    public EmitterOptions Options => options;

    public RuleSet RulesOf(PrivateServiceConnectPlan plan) => plan.Rules;

    public void Write(PrivateServiceConnectPlan plan, PreparedRules rules, TextWriter output)
    {
        GcpFirewallPlan firewall = GcpFirewallPlan.Create(rules, options);
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveEndpoints();
        IReadOnlyList<PrivateZone> zones = plan.Zones();
        string variable = options.Name.Replace('-', '_').ToUpperInvariant() + "_SUBNETWORK";
        output.Write("#!/usr/bin/env bash\n");
        if (options.Comments)
        {
            var header = new List<string>
            {
                $"Datadog over Google Cloud Private Service Connect for {plan.Site}: endpoints in {plan.Region}, private Cloud DNS zones. " +
                $"For gcloud (fwrules privatelink, format {Format})."
            };
            header.AddRange(firewall.Rules.Describe());
            header.Add(
                $"Runs against gcloud's configured project; {variable} names the subnetwork (within {string.Join(", ", plan.EndpointSubnets)}) to reserve the addresses in.");
            header.AddRange(PrivateServiceConnectText.Guidance(plan, endpoints));
            header.AddRange(firewall.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        output.Write($$"""
            set -euo pipefail

            region={{ShellQuote.Argument(plan.Region)}}
            network={{ShellQuote.Argument(options.Network)}}
            subnetwork=${{{variable}}:?set {{variable}} to the subnetwork in {{plan.Region}} to reserve the endpoint addresses in}

            {{GcloudFirewallScript.ApplyRule}}

            """);
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            string name = ShellQuote.Argument(PrivateServiceConnectText.ResourceName(options, endpoint.Key));
            string global = plan.GlobalAccess ? " --allow-psc-global-access" : string.Empty;
            string service = ShellQuote.Argument(endpoint.ServiceName);
            output.Write($"""

                # {CommentText.SingleLine(string.Join(", ", endpoint.Serves.Select(s => s.Label)))}
                gcloud compute addresses describe {name} --region="$region" >/dev/null 2>&1 ||
                  gcloud compute addresses create {name} --region="$region" --subnet="$subnetwork" --quiet
                gcloud compute forwarding-rules describe {name} --region="$region" >/dev/null 2>&1 ||
                  gcloud compute forwarding-rules create {name} --region="$region" --network="$network" --address={name} --target-service-attachment={service}{global} --quiet

                """);
        }

        WriteZones(output, zones);
        foreach (GcpFirewallRule rule in firewall.FirewallRules)
        {
            output.Write('\n');
            GcloudFirewallScript.WriteRule(output, rule, options);
        }
    }

    private void WriteZones(TextWriter output, IReadOnlyList<PrivateZone> zones)
    {
        foreach (PrivateZone zone in zones)
        {
            string zoneName = ShellQuote.Argument(PrivateServiceConnectText.ResourceName(options, zone.DnsName.Replace('.', '-')));
            string dnsName = ShellQuote.Argument(zone.DnsName + ".");
            string description = ShellQuote.Argument($"Datadog Private Service Connect: {zone.DnsName}");
            output.Write($"""

                gcloud dns managed-zones describe {zoneName} >/dev/null 2>&1 ||
                  gcloud dns managed-zones create {zoneName} --dns-name={dnsName} --visibility=private --networks="$network" --description={description} --quiet

                """);
            foreach ((string record, string endpointKey) in zone.Records)
            {
                string recordName = ShellQuote.Argument((record == "@" ? string.Empty : record + ".") + zone.DnsName + ".");
                string addressName = ShellQuote.Argument(PrivateServiceConnectText.ResourceName(options, endpointKey));
                string address = $"\"$(gcloud compute addresses describe {addressName} --region=\"$region\" --format='value(address)')\"";
                output.Write($"""
                    gcloud dns record-sets update {recordName} --zone={zoneName} --type=A --ttl=300 --rrdatas={address} --quiet >/dev/null 2>&1 ||
                      gcloud dns record-sets create {recordName} --zone={zoneName} --type=A --ttl=300 --rrdatas={address} --quiet

                    """);
            }
        }
    }
}
