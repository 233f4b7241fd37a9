using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FirewallRules.Emitters.Azure;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Azure Private Link (US3) as an ARM template and as Bicep: the ARM template validated against Azure's published schemas
/// (Microsoft.Network 2024-05-01 and privateDns 2024-06-01), parsed back to exactly the guide's endpoints, zones, records
/// and port; the Bicep read back and compiled to the same template, resource by resource; both pinned.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class AzurePrivateLinkTemplateTests
{
    private static readonly PrivateConnectivity Us3 = PrivateLinkCatalog.For(Site.US3)!;

    private static AzurePrivateLinkPlan Plan(AzureZoneRecords? records, IReadOnlyList<DatadogService>? services = null, string networks = "10.0.0.0/16") =>
        AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions { Site = Site.US3, AgentNetworks = PrefixSet.Parse(networks), Services = services, ZoneRecords = records });

    // The whole plan with each record choice, one service, and without comments under another name.
    private static IEnumerable<TestCaseData> Plans()
    {
        yield return new TestCaseData(Plan(AzureZoneRecords.WildcardAndApex), null).SetArgDisplayNames("all-wildcard-and-apex");
        yield return new TestCaseData(Plan(AzureZoneRecords.Wildcard, networks: "10.0.0.0/16\n2001:db8::/48"), null).SetArgDisplayNames("all-wildcard-dual-stack");
        yield return new TestCaseData(
            Plan(AzureZoneRecords.Wildcard, [DatadogService.Api]), new AzureNsgOptions { Name = "dd-pl", Comments = false, NetworkSecurityGroup = "nsg-endpoints" })
            .SetArgDisplayNames("api-no-comments");
    }

    private static JsonObject[] Resources(JsonNode template, string type) =>
        [.. template["resources"]!.AsArray().Select(r => r!.AsObject()).Where(r => (string)r["type"]! == type)];

    [Test]
    public void ArmAndBicep_Us3_MatchTheReviewedOutput()
    {
        GoldenFile.AssertMatches(Plan(AzureZoneRecords.WildcardAndApex).ToAzureArm(), "privatelink-azure", "us3-wildcard-and-apex.json");
        GoldenFile.AssertMatches(Plan(AzureZoneRecords.WildcardAndApex).ToBicep(), "privatelink-azure", "us3-wildcard-and-apex.bicep");
        GoldenFile.AssertMatches(Plan(AzureZoneRecords.Wildcard, [DatadogService.Api]).ToAzureArm(), "privatelink-azure", "us3-api-wildcard.json");
        GoldenFile.AssertMatches(Plan(AzureZoneRecords.Wildcard, [DatadogService.Api]).ToBicep(), "privatelink-azure", "us3-api-wildcard.bicep");
    }

    [Test]
    public void Arm_EveryPlan_ValidatesAgainstThePublishedSchemas()
    {
        using var files = new TempFiles();
        string[] paths = [.. Plans().Select((c, i) => files.Write($"plan-{i}.json", ((AzurePrivateLinkPlan)c.Arguments[0]!).ToAzureArm((AzureNsgOptions?)c.Arguments[1])))];

        ToolResult validation = ValidateArm(paths);

        Assert.That(validation.ExitCode, Is.Zero, validation.Output + validation.Error);
        Assert.That(validation.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(paths.Length).And.All.EndWith(": valid"));
    }

    [TestCase("\"registrationEnabled\": false", "\"registrationEnabled\": \"no\"", "registrationEnabled")]
    [TestCase("\"ttl\": 300", "\"ttl\": \"300s\"", "ttl")]
    [TestCase("\"type\": \"Microsoft.Network/privateDnsZones/A\"", "\"type\": \"Microsoft.Network/privateDnsZones/AA\"", "type")]
    [TestCase("\"requestMessage\": \"[parameters('requestMessage')]\"", "\"requestMessage\": 42", "requestMessage")]
    public void Arm_SchemaValidator_RejectsWhatAzureWouldRefuse(string valid, string broken, string reported)
    {
        string template = Plan(AzureZoneRecords.Wildcard, [DatadogService.Api]).ToAzureArm();
        Assert.That(template, Does.Contain(valid), "the template holds the property the case breaks");
        using var files = new TempFiles();

        ToolResult validation = ValidateArm([files.Write("broken.json", template.Replace(valid, broken, StringComparison.Ordinal))]);

        Assert.That(validation.ExitCode, Is.Not.Zero);
        Assert.That(validation.Output, Does.Contain(reported));
    }

    [Test]
    public void Arm_WholeUs3Plan_HoldsExactlyTheGuidesEndpointsZonesRecordsAndPort()
    {
        JsonNode template = JsonNode.Parse(Plan(AzureZoneRecords.WildcardAndApex, networks: "10.0.0.0/16\n10.2.0.0/16").ToAzureArm())!;

        JsonObject[] endpoints = Resources(template, "Microsoft.Network/privateEndpoints");
        JsonNode[] connections = [.. endpoints.Select(e => e["properties"]!["manualPrivateLinkServiceConnections"]!.AsArray().Single()!)];
        Assert.That(connections.Select(c => (string)c["properties"]!["privateLinkServiceId"]!), Is.EquivalentTo(Us3.Endpoints.Select(e => e.Target).Distinct()),
            "one manual connection per alias: the three logs entries share one");
        Assert.That(endpoints.Select(e => (string)e["properties"]!["subnet"]!["id"]!), Is.All.EqualTo("[parameters('subnetId')]"));
        Assert.That(endpoints, Has.None.Matches<JsonObject>(e => e["properties"]!["privateLinkServiceConnections"] is not null), "Datadog approves each connection");
        Assert.That(
            Resources(template, "Microsoft.Network/privateDnsZones").Select(z => (string)z["name"]!),
            Is.EquivalentTo(Us3.Endpoints.Select(e => e.PrivateDnsName).Distinct()));
        Assert.That(Resources(template, "Microsoft.Network/privateDnsZones/virtualNetworkLinks").Select(l => ((string)l["name"]!).Split('/')[0]),
            Is.EquivalentTo(Us3.Endpoints.Select(e => e.PrivateDnsName).Distinct()));
        Assert.That(
            Resources(template, "Microsoft.Network/privateDnsZones/virtualNetworkLinks")
                .Select(l => ((bool)l["properties"]!["registrationEnabled"]!, (string)l["properties"]!["virtualNetwork"]!["id"]!)),
            Is.All.EqualTo((false, "[parameters('virtualNetworkId')]")));
        Assert.That(
            Records(template, "agent.us3.datadoghq.com"), Is.EquivalentTo(new[] { ("@", "metrics"), ("*", "metrics"), ("trace", "traces") }),
            "the guide's three records of the agent zone");
        Assert.That(Records(template, "api.us3.datadoghq.com"), Is.EquivalentTo(new[] { ("@", "api"), ("*", "api") }), "the zone's own name and *, as chosen");
        (NsgOutput nsg, _) = NsgOutput.FromArm(
            new JsonObject { ["resources"] = new JsonArray(Resources(template, "Microsoft.Network/networkSecurityGroups").Single().DeepClone()) }.ToJsonString());
        Assert.That(nsg.Rules.Select(r => (r.Name, r.Direction, r.Access, r.Protocol, r.DestinationPorts, string.Join(" ", r.Sources), r.Priority)), Is.EqualTo(new[]
        {
            ("datadog-privatelink-ingress-tcp-443-ipv4", "Inbound", "Allow", "Tcp", "443", "10.0.0.0/16 10.2.0.0/16", 100),
            ("datadog-privatelink-ingress-tcp-443-deny-others", "Inbound", "Deny", "Tcp", "443", "*", 4096),
        }));
    }

    [TestCaseSource(nameof(Plans))]
    public void Bicep_EveryPlan_CompilesToTheArmTemplateResourceByResource(AzurePrivateLinkPlan plan, AzureNsgOptions? options)
    {
        BicepReader bicep = BicepReader.Read(plan.ToBicep(options));

        JsonObject compiled = BicepCompilation.Compile(bicep);

        JsonObject arm = BicepCompilation.Comparable(JsonNode.Parse(plan.ToAzureArm(options))!);
        JsonNode[] armResources = [.. arm["resources"]!.AsArray().Select(r => r!)];
        JsonNode[] bicepResources = [.. compiled["resources"]!.AsArray().Select(r => r!)];
        Assert.That(
            bicepResources.Select(r => $"{r["type"]} {r["name"]}"), Is.EqualTo(armResources.Select(r => $"{r["type"]} {r["name"]}")),
            "the same resources in the same order");
        Assert.Multiple(() =>
        {
            for (int i = 0; i < armResources.Length; i++)
            {
                Assert.That(
                    bicepResources[i].ToJsonString(), Is.EqualTo(armResources[i].ToJsonString()),
                    $"resource {armResources[i]["name"]}: properties, location and dependencies");
            }

            Assert.That(compiled["parameters"]!.ToJsonString(), Is.EqualTo(arm["parameters"]!.ToJsonString()), "the same parameters and defaults");
            Assert.That(compiled["outputs"]!.ToJsonString(), Is.EqualTo(arm["outputs"]!.ToJsonString()), "the same outputs");
        });
        Assert.That(armResources.Where(r => r["dependsOn"] is not null), Is.Not.Empty, "the comparison covers dependencies");
    }

    [TestCaseSource(nameof(Plans))]
    public void Arm_EveryPlan_HasOnlyTheTemplatesOwnExpressions(AzurePrivateLinkPlan plan, AzureNsgOptions? options)
    {
        var ownExpression = new Regex(@"^\[(parameters\('(location|subnetId|virtualNetworkId|requestMessage|networkSecurityGroupName)'\)|resourceGroup\(\)\.location"
            + @"|resourceId\('Microsoft\.Network/(networkSecurityGroups|privateEndpoints|privateDnsZones)', [^\]]+\)"
            + @"|reference\(reference\(resourceId\('Microsoft\.Network/privateEndpoints', '[a-z0-9-]+'\), '2024-05-01'\)\.networkInterfaces\[0\]\.id, "
            + @"'2024-05-01'\)\.ipConfigurations\[0\]\.properties\.privateIPAddress)\]$");

        string[] expressions = [.. Strings(JsonNode.Parse(plan.ToAzureArm(options))!).Where(s => s.StartsWith('[') && !s.StartsWith("[[", StringComparison.Ordinal))];

        Assert.That(expressions, Is.Not.Empty);
        Assert.That(expressions, Has.All.Matches(ownExpression));
    }

    [Test]
    public void ArmAndBicep_WithoutAZoneRecordChoice_AreRefusedBeforeWriting()
    {
        Assert.That(() => Plan(null).ToAzureArm(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("AzureZoneRecords.WildcardAndApex"));
        Assert.That(() => Plan(null).ToBicep(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("AzureZoneRecords.WildcardAndApex"));
        Assert.That(
            Plan(null, [DatadogService.Metrics, DatadogService.Traces]).ToBicep(), Does.Contain("Microsoft.Network/privateEndpoints@"),
            "the agent zone's records are documented");
    }

    // Each A record of the zone: its name and the key of the endpoint whose address it holds.
    private static IEnumerable<(string Name, string Endpoint)> Records(JsonNode template, string zone) =>
        Resources(template, "Microsoft.Network/privateDnsZones/A")
            .Where(r => ((string)r["name"]!).StartsWith(zone + "/", StringComparison.Ordinal))
            .Select(r => (((string)r["name"]!)[(zone.Length + 1)..],
                Regex.Match((string)r["properties"]!["aRecords"]![0]!["ipv4Address"]!, @"'datadog-privatelink-([a-z-]+)'\)").Groups[1].Value));

    private static IEnumerable<string> Strings(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Value is null ? [] : Strings(p.Value)),
        JsonArray array => array.SelectMany(n => n is null ? [] : Strings(n)),
        JsonValue value when value.TryGetValue(out string? text) => [text],
        _ => [],
    };

    private static ToolResult ValidateArm(IEnumerable<string> paths) =>
        ExternalTool.Run(ExternalTool.Command("python3"), [TestData.Path_("validators", "validate.py"), "arm", .. paths], timeout: TimeSpan.FromMinutes(5));
}
