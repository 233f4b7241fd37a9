using System.Text.Json.Nodes;
using FirewallRules.Emitters.Gcp;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Azure Private Link (US3) and Google Cloud Private Service Connect (US5, EU1), rendered from Datadog's guides and the
/// data file: parsed back with HashiCorp's HCL parser and bash, checked against the published services, and pinned.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class OtherCloudPrivateLinkTests
{
    private static PrivateServiceConnectPlan Psc(Site site, IReadOnlyList<DatadogService>? services = null, bool globalAccess = false) =>
        PrivateServiceConnectPlan.Create(new PrivateServiceConnectOptions
        {
            Site = site, EndpointSubnets = PrefixSet.Parse("10.20.0.0/24"), Services = services, GlobalAccess = globalAccess
        });

    private static AzurePrivateLinkPlan Azure(AzureZoneRecords? records, IReadOnlyList<DatadogService>? services = null) =>
        AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions { Site = Site.US3, AgentNetworks = PrefixSet.Parse("10.0.0.0/16"), Services = services, ZoneRecords = records });

    private static JsonObject Hcl(string text)
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        using var files = new TempFiles();
        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, [files.Write("main.tf", text)]);
        Assert.That(parsed.ExitCode, Is.Zero, parsed.Error);
        return JsonNode.Parse(parsed.Output)![0]!["resource"]!.AsObject();
    }

    private static IEnumerable<JsonObject> Bodies(JsonObject resources, string type) => resources[type]!.AsObject().Select(r => r.Value![0]!.AsObject());

    [Test]
    public void Psc_Terraform_MatchesTheReviewedOutput()
    {
        GoldenFile.AssertMatches(Psc(Site.US5).ToTerraform(), "privatelink-gcp", "us5.tf");
        GoldenFile.AssertMatches(
            Psc(Site.EU1, [DatadogService.Metrics, DatadogService.Traces], globalAccess: true)
                .ToGcloud(new GcpFirewallOptions { Name = "dd-psc", TargetTags = ["datadog-agent"] }),
            "privatelink-gcp", "eu1-metrics-traces.sh");
    }

    [Test]
    public void Psc_Terraform_HasAnEndpointPerServiceAttachmentAndTheGuidesZones()
    {
        PrivateConnectivity us5 = PrivateLinkCatalog.For(Site.US5)!;

        JsonObject resources = Hcl(Psc(Site.US5).ToTerraform());

        JsonObject[] rules = [.. Bodies(resources, "google_compute_forwarding_rule")];
        Assert.That(rules.Select(r => r["target"]!.GetValue<string>()), Is.EquivalentTo(us5.Endpoints.Select(e => e.Target)));
        Assert.That(rules.Select(r => (r["region"]!.GetValue<string>(), r["load_balancing_scheme"]!.GetValue<string>())), Is.All.EqualTo(("us-central1", string.Empty)));
        Assert.That(Bodies(resources, "google_compute_address").Select(a => a["address_type"]!.GetValue<string>()), Is.All.EqualTo("INTERNAL"));
        Assert.That(Bodies(resources, "google_compute_address").Count(), Is.EqualTo(rules.Length));
        Assert.That(Bodies(resources, "google_dns_managed_zone").Select(z => z["dns_name"]!.GetValue<string>()),
            Is.EquivalentTo(us5.Endpoints.Select(e => e.PrivateDnsName + ".").Distinct()));
        Dictionary<string, string> agentZone = Bodies(resources, "google_dns_record_set")
            .Where(r => r["name"]!.GetValue<string>().EndsWith("agent.us5.datadoghq.com.", StringComparison.Ordinal))
            .ToDictionary(r => r["name"]!.GetValue<string>(), r => r["rrdatas"]![0]!.GetValue<string>());
        Assert.That(agentZone, Is.EqualTo(new Dictionary<string, string>
        {
            ["agent.us5.datadoghq.com."] = "${google_compute_address.datadog_privatelink_metrics.address}",
            ["*.agent.us5.datadoghq.com."] = "${google_compute_address.datadog_privatelink_metrics.address}",
            ["trace.agent.us5.datadoghq.com."] = "${google_compute_address.datadog_privatelink_traces.address}",
        }), "the guide's three records of the agent zone");
        JsonObject[] firewalls = [.. Bodies(resources, "google_compute_firewall").Select(GcpEmitterTests.FromTerraform)];
        IReadOnlyList<PublishedSchemas.Checked> valid = PublishedSchemas.AssertValid("gcp", new JsonArray([.. firewalls]).ToJsonString());
        Assert.That(valid.Where(f => f.Document["allowed"] is not null).Select(f => f.Document["destinationRanges"]![0]!.GetValue<string>()), Is.EqualTo(new[] { "10.20.0.0/24" }));
    }

    [Test]
    public void Psc_Gcloud_RunsTheGuidesStepsWithGlobalAccess()
    {
        string script = Psc(Site.EU1, globalAccess: true).ToGcloud();

        ScriptRun run = FakeCli.Run(script, new Dictionary<string, string> { ["DATADOG_PRIVATELINK_SUBNETWORK"] = "psc-subnet", ["FAKE_DESCRIBE_EXIT"] = "1" });

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        string[][] forwarding = [.. run.Calls.Where(c => c.Take(3).SequenceEqual(["compute", "forwarding-rules", "create"]))];
        Assert.That(forwarding.Select(c => c.Single(a => a.StartsWith("--target-service-attachment=", StringComparison.Ordinal)).Split('=', 2)[1]),
            Is.EquivalentTo(PrivateLinkCatalog.For(Site.EU1)!.Endpoints.Select(e => e.Target)));
        Assert.That(forwarding, Has.All.Contains("--allow-psc-global-access").And.All.Contains("--region=europe-west3"));
        Assert.That(run.Calls.Where(c => c.Take(3).SequenceEqual(["compute", "addresses", "create"])), Has.All.Contains("--subnet=psc-subnet"));
        Assert.That(run.Calls.Where(c => c.Take(3).SequenceEqual(["dns", "record-sets", "update"])).Select(c => c[3]),
            Is.SupersetOf(new[] { "agent.datadoghq.eu.", "*.agent.datadoghq.eu.", "trace.agent.datadoghq.eu.", "api.datadoghq.eu." }));
        Assert.That(run.Calls.Where(c => c.Take(3).SequenceEqual(["dns", "managed-zones", "create"])), Has.All.Contains("--visibility=private"));
    }

    [Test]
    public void Psc_WithoutItsSubnetwork_StopsBeforeAnyCall()
    {
        ScriptRun run = FakeCli.Run(Psc(Site.US5).ToGcloud());

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Calls, Is.Empty);
        Assert.That(run.Error, Does.Contain("DATADOG_PRIVATELINK_SUBNETWORK"));
    }

    [TestCase("us1", "does not offer Google Cloud Private Service Connect: it offers AWS PrivateLink")]
    [TestCase("us3", "does not offer Google Cloud Private Service Connect: it offers Azure Private Link")]
    public void Psc_SiteWithoutIt_IsRefusedNamingWhoOffersIt(string site, string refusal)
    {
        var ex = Assert.Throws<RuleGenerationException>(() => Psc(Site.Parse(site)));

        Assert.That(ex!.Message, Does.Contain(refusal).And.Contain("US5 (us-central1), EU1 (europe-west3)"));
    }

    [Test]
    public void Azure_WithoutAZoneRecordChoice_IsRefusedNamingBothReadings()
    {
        var ex = Assert.Throws<RuleGenerationException>(() => Azure(null).ToTerraform());

        Assert.That(ex!.Message, Does.Contain("AzureZoneRecords.Wildcard").And.Contain("AzureZoneRecords.WildcardAndApex").And.Contain("api.us3.datadoghq.com"));
        Assert.That(
            Azure(null, [DatadogService.Metrics, DatadogService.Traces]).ToTerraform(), Does.Contain("azurerm_private_endpoint"),
            "the agent zone's records are documented");
    }

    [Test]
    public void Azure_Terraform_MatchesTheReviewedOutput()
    {
        GoldenFile.AssertMatches(Azure(AzureZoneRecords.WildcardAndApex).ToTerraform(), "privatelink-azure", "us3-wildcard-and-apex.tf");
        GoldenFile.AssertMatches(Azure(AzureZoneRecords.Wildcard, [DatadogService.Api]).ToTerraform(), "privatelink-azure", "us3-api-wildcard.tf");
    }

    [Test]
    public void Azure_Terraform_HasAnEndpointPerAliasZonesRecordsAndTheNsg()
    {
        PrivateConnectivity us3 = PrivateLinkCatalog.For(Site.US3)!;

        JsonObject resources = Hcl(Azure(AzureZoneRecords.WildcardAndApex).ToTerraform());

        JsonObject[] endpoints = [.. Bodies(resources, "azurerm_private_endpoint")];
        Assert.That(endpoints.Select(e => e["private_service_connection"]![0]!["private_connection_resource_alias"]!.GetValue<string>()),
            Is.EquivalentTo(us3.Endpoints.Select(e => e.Target).Distinct()), "one endpoint per alias: the three logs entries share one");
        Assert.That(endpoints.Select(e => e["private_service_connection"]![0]!["is_manual_connection"]!.GetValue<bool>()), Is.All.True);
        Assert.That(
            Bodies(resources, "azurerm_private_dns_zone").Select(z => z["name"]!.GetValue<string>()),
            Is.EquivalentTo(us3.Endpoints.Select(e => e.PrivateDnsName).Distinct()));
        Assert.That(Bodies(resources, "azurerm_private_dns_zone_virtual_network_link").Count(), Is.EqualTo(us3.Endpoints.Select(e => e.PrivateDnsName).Distinct().Count()));
        string[] apiRecords =
        [
            .. Bodies(resources, "azurerm_private_dns_a_record")
                .Where(r => r["zone_name"]!.GetValue<string>().Contains("api_us3", StringComparison.Ordinal)).Select(r => r["name"]!.GetValue<string>())
        ];
        Assert.That(apiRecords, Is.EquivalentTo(new[] { "*", "@" }));
        JsonArray rules = Bodies(resources, "azurerm_network_security_group").Single()["security_rule"]!.AsArray();
        Assert.That(rules.Select(r => (r!["name"]!.GetValue<string>(), r["access"]!.GetValue<string>(), r["priority"]!.GetValue<int>())), Is.EqualTo(new[]
        {
            ("datadog-privatelink-ingress-tcp-443-ipv4", "Allow", 100),
            ("datadog-privatelink-ingress-tcp-443-deny-others", "Deny", 4096),
        }));
        Assert.That(rules[0]!["source_address_prefixes"]![0]!.GetValue<string>(), Is.EqualTo("10.0.0.0/16"));
    }

    [Test]
    public void Azure_AgentNetworkTooWide_IsRefused()
    {
        var ex = Assert.Throws<RuleGenerationException>(() =>
            AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions { Site = Site.US3, AgentNetworks = PrefixSet.Parse("10.0.0.0/7") }));

        Assert.That(ex!.Message, Does.Contain("wider than /8"));
    }
}
