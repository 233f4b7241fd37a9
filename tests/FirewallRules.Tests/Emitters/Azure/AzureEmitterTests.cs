using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Azure;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>azure-nsg, azure-arm and bicep: pinned output, and proofs on every real document, parsed back.</summary>
[TestFixture]
[Category("RealTools")]
public class AzureEmitterTests
{
    private static readonly string[] Formats = ["azure-nsg", "azure-arm", "bicep"];

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    private static IEnumerable<TestCaseData> EveryDocumentAndDirection() =>
        TestData.IpRangesDocuments.SelectMany(path => new[] { Direction.Egress, Direction.Ingress }
            .Select(direction => new TestCaseData(Path.GetFileName(path), direction).SetArgDisplayNames(Path.GetFileNameWithoutExtension(path), direction.ToString())));

    private static RuleSet All(string file, Direction direction) => RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", file)), direction);

    private static readonly Dictionary<string, string> Target = new() { ["DATADOG_RESOURCE_GROUP"] = "rg-prod", ["DATADOG_NSG"] = "nsg-prod" };

    [TestCase("azure-nsg", "sh")]
    [TestCase("azure-arm", "json")]
    [TestCase("bicep", "bicep")]
    public void Write_RealDocuments_MatchTheReviewedOutput(string format, string extension)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);

        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Logs).Render(emitter), format, $"v52-logs-egress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Webhooks).Render(emitter), format, $"v52-webhooks-ingress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(30), Section.Agents).Render(emitter), format, $"v30-agents-egress.{extension}");
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void Arm_RealDocument_ListsExactlyThePrefixesWithinTheLimits(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        var options = new AzureNsgOptions();
        string json = rules.ToAzureArm(options);

        (NsgOutput output, _) = NsgOutput.FromArm(json);

        NsgAssert.AllowsExactly(output, ExpectedRules.For(rules, options));
        NsgAssert.WithinLimits(output);
        NsgAssert.DeniesOtherInternetEgress(output, expected: direction == Direction.Egress);
        Assert.That(Strings(JsonNode.Parse(json)!).Where(s => s.StartsWith('[') && s.EndsWith(']')), Is.EquivalentTo(new[]
        {
            "[resourceGroup().location]", "[parameters('networkSecurityGroupName')]", "[parameters('location')]",
            "[resourceId('Microsoft.Network/networkSecurityGroups', parameters('networkSecurityGroupName'))]",
        }), "the only ARM expressions are the template's own");
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void Bicep_RealDocument_ReadsBackAsTheArmTemplatesRules(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);

        (NsgOutput output, JsonNode bicepRules, BicepReader bicep) = NsgOutput.FromBicep(rules.ToBicep());

        (_, JsonNode armRules) = NsgOutput.FromArm(rules.ToAzureArm());
        Assert.That(JsonNode.DeepEquals(bicepRules, armRules), Is.True, "Bicep and ARM declare the same security rules");
        Assert.That(bicep.Parameters, Is.EqualTo(new Dictionary<string, string>
        {
            ["networkSecurityGroupName"] = "datadog",
            ["location"] = "expr:resourceGroup().location",
        }));
        Assert.That(bicep.Resource.Body["name"]!.GetValue<string>(), Is.EqualTo("expr:networkSecurityGroupName"));
        NsgAssert.WithinLimits(output);
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void AzureCli_RealDocument_CreatesExactlyThePrefixesWithinTheLimits(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        var options = new AzureNsgOptions();

        ScriptRun run = FakeCli.Run(rules.ToAzureCli(options), Target);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        NsgOutput output = NsgOutput.FromAzCalls(run.Calls);
        NsgAssert.AllowsExactly(output, ExpectedRules.For(rules, options));
        NsgAssert.WithinLimits(output);
        NsgAssert.DeniesOtherInternetEgress(output, expected: direction == Direction.Egress);
        Assert.That(run.Calls.Where(c => c[3] == "create").Select(c => (c[5], c[7])), Has.All.EqualTo(("rg-prod", "nsg-prod")));
        Assert.That(output.Rules.Select(r => r.Canonical), Is.EqualTo(NsgOutput.FromArm(rules.ToAzureArm(options)).Output.Rules.Select(r => r.Canonical)),
            "the script creates the template's rules");
    }

    [Test]
    public void AzureCli_RulesLeftByAnEarlierRun_AreDeletedBeforeAnyRuleIsCreated()
    {
        string script = RuleSet.For(Version(52), Section.Logs).ToAzureCli();

        ScriptRun run = FakeCli.Run(script, Target, existingRules: "datadog-egress-tcp-443-ipv4\ndatadog-egress-tcp-8443-ipv4\ndatadog-old\n");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        string[] verbs = run.Calls.Select(c => c[3] == "delete" ? $"delete {c[^3]}" : c[3]).ToArray();
        Assert.That(verbs.Take(3), Is.EqualTo(new[] { "list", "delete datadog-egress-tcp-8443-ipv4", "delete datadog-old" }));
        Assert.That(verbs.Skip(3), Has.All.EqualTo("create"));
        Assert.That(run.Calls[0], Does.Contain("[?starts_with(name, 'datadog-')].name"), "only rules with the name prefix are listed");
    }

    [Test]
    public void AzureCli_HostileNamesAtRunTime_ArePassedAsLiteralArguments()
    {
        string script = RuleSet.For(Version(52), Section.Logs).ToAzureCli();
        var hostile = new Dictionary<string, string>
        {
            ["DATADOG_RESOURCE_GROUP"] = "rg$(touch pwned)`touch pwned2`",
            ["DATADOG_NSG"] = "nsg'; touch pwned3; echo '\"",
        };

        ScriptRun run = FakeCli.Run(script, hostile, existingRules: "datadog-x; touch pwned4\n");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(run.CreatedFiles, Is.Empty, "nothing ran but the az calls");
        Assert.That(run.Calls.Where(c => c[3] == "create").Select(c => (c[5], c[7])), Has.All.EqualTo((hostile["DATADOG_RESOURCE_GROUP"], hostile["DATADOG_NSG"])));
        Assert.That(run.Calls.Single(c => c[3] == "delete"), Does.Contain("datadog-x; touch pwned4"));
    }

    [Test]
    public void AzureCli_NamesFromOptions_AreWrittenQuotedAndReachAzUnchanged()
    {
        string script = RuleSet.For(Version(52), Section.Logs).ToAzureCli(new AzureNsgOptions { ResourceGroup = "rg(prod).eu", NetworkSecurityGroup = "nsg.prod_1" });

        ScriptRun run = FakeCli.Run(script);

        Assert.That(script, Does.Contain("resource_group='rg(prod).eu'\n").And.Contain("nsg=nsg.prod_1\n"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(run.Calls.Where(c => c[3] == "create").Select(c => (c[5], c[7])), Has.All.EqualTo(("rg(prod).eu", "nsg.prod_1")));
    }

    [Test]
    public void AzureCli_NoTargetGiven_StopsBeforeAnyCall()
    {
        ScriptRun run = FakeCli.Run(RuleSet.For(Section.Logs).ToAzureCli());

        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Error, Does.Contain("set DATADOG_RESOURCE_GROUP"));
        Assert.That(run.Calls, Is.Empty);
    }

    [TestCase("rg'; rm -rf /")]
    [TestCase("rg$(id)")]
    [TestCase("rg.")]
    [TestCase("")]
    public void Options_InvalidResourceGroup_IsRefused(string name)
    {
        Assert.That(() => new AzureNsgOptions { ResourceGroup = name }, Throws.ArgumentException);
    }

    [TestCase("-nsg")]
    [TestCase("nsg.")]
    [TestCase("nsg name")]
    [TestCase("[concat('a')]")]
    public void Options_InvalidNetworkSecurityGroup_IsRefused(string name)
    {
        Assert.That(() => new AzureNsgOptions { NetworkSecurityGroup = name }, Throws.ArgumentException);
    }

    [Test]
    public void Plan_LongListAndSmallRuleLimit_SplitsIntoNumberedRulesCoveringTheList()
    {
        RuleSet agents = RuleSet.For(Version(30), Section.Agents);
        var options = new AzureNsgOptions { MaxAddressesPerRule = 100 };
        int prefixes = agents.Rules.Single().Prefixes.IPv4.Count;

        (NsgOutput output, _) = NsgOutput.FromArm(agents.ToAzureArm(options));

        NsgAssert.AllowsExactly(output, agents);
        NsgAssert.WithinLimits(output);
        Assert.That(output.Rules.Where(r => r.Name.Contains("-ipv4", StringComparison.Ordinal)).Select(r => r.Name),
            Is.EqualTo(Enumerable.Range(1, (prefixes + 99) / 100).Select(i => $"datadog-egress-tcp-443-ipv4-{i}")));
        Assert.That(output.Rules.Select(r => r.Remote.Count), Has.All.LessThanOrEqualTo(100));
    }

    [Test]
    public void Plan_BothDirections_NumbersEachDirectionFromTheFirstPriority()
    {
        IpRangesDocument v52 = Version(52);
        RuleSet rules = RuleSet.Create(RuleSet.For(v52, Section.Logs).Rules.Concat(RuleSet.For(v52, Section.Webhooks).Rules), RuleSet.For(v52, Section.Logs).Provenance);

        (NsgOutput output, _) = NsgOutput.FromArm(rules.ToAzureArm(new AzureNsgOptions { FirstPriority = 200, PriorityStep = 5 }));

        NsgAssert.AllowsExactly(output, rules);
        NsgAssert.WithinLimits(output);
        NsgAssert.DeniesOtherInternetEgress(output, expected: true);
        Assert.That(output.Rules.Select(r => (r.Direction, r.Priority)), Is.EqualTo(new[]
        {
            ("Outbound", 200), ("Outbound", 205), ("Outbound", 210), ("Outbound", 215), ("Outbound", 4096), ("Inbound", 200),
        }));
    }

    [Test]
    public void Plan_PrioritiesPastTheLastOne_AreRefused()
    {
        var options = new AzureNsgOptions { FirstPriority = 4000, PriorityStep = 50 };

        Assert.That(() => RuleSet.For(Section.Logs).ToAzureArm(options), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("lower AzureNsgOptions.FirstPriority or AzureNsgOptions.PriorityStep"));
    }

    [Test]
    public void Plan_DenyPriorityAboveTheAllows_IsRefused()
    {
        var options = new AzureNsgOptions { DenyPriority = 110 };

        Assert.That(() => RuleSet.For(Section.Logs).ToBicep(options), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("past the deny rule's 110"));
    }

    [TestCase(Direction.Egress, "destination")]
    [TestCase(Direction.Ingress, "source")]
    public void Plan_MoreThan4000AddressesOnASide_IsRefused(Direction direction, string side)
    {
        // Every other /32 of 10.0.0.0/19: 4096 prefixes that cannot merge.
        PrefixSet prefixes = PrefixSet.Create(Enumerable.Range(0, 4096).Select(i => new IPNetwork(new IPAddress([10, 0, (byte)(i / 128), (byte)(i % 128 * 2)]), 32)));
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(direction, RuleAction.Allow, PortRange.Https, prefixes, ["custom"])], new RuleSetProvenance(null, null, null, ["custom"], false));

        Assert.That(() => rules.ToAzureArm(new AzureNsgOptions { MaxAddressesPerRule = 1000 }), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains($"4096 {side} prefixes, more than the 4000"));
    }

    [Test]
    public void Plan_MoreThan1000Rules_IsRefused()
    {
        PrefixSet prefixes = PrefixSet.Create(Enumerable.Range(0, 1001).Select(i => new IPNetwork(new IPAddress([10, 1, (byte)(i / 128), (byte)(i % 128 * 2)]), 32)));
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, prefixes, ["custom"])], new RuleSetProvenance(null, null, null, ["custom"], false));

        Assert.That(() => rules.ToAzureCli(new AzureNsgOptions { MaxAddressesPerRule = 1, PriorityStep = 1 }), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("1001 rules, more than Azure's 1000"));
    }

    [Test]
    public void Plan_DenyOff_WritesOnlyTheAllows()
    {
        (NsgOutput output, _) = NsgOutput.FromArm(RuleSet.For(Section.Logs).ToAzureArm(new AzureNsgOptions { DenyInternetOutbound = false }));

        NsgAssert.DeniesOtherInternetEgress(output, expected: false);
        Assert.That(output.Rules, Has.Count.EqualTo(4));
    }

    [Test]
    public void Plan_DenyAction_IsRenderedAsDenyRules()
    {
        RuleSet deny = RuleSet.For(Version(52), ["webhooks"], new RuleSetOptions { Action = RuleAction.Deny });

        (NsgOutput output, _) = NsgOutput.FromArm(deny.ToAzureArm());

        NsgAssert.AllowsExactly(output, deny);
        Assert.That(output.Rules.Select(r => r.Access), Has.All.EqualTo("Deny"));
    }

    [Test]
    public void Plan_EgressDenyRulesOnly_AddNoInternetDeny()
    {
        // A blocklist: denying the Internet below it would block everything it meant to leave alone.
        RuleSet deny = RuleSet.For(Version(52), ["logs"], new RuleSetOptions { Action = RuleAction.Deny });

        (NsgOutput output, _) = NsgOutput.FromArm(deny.ToAzureArm());

        NsgAssert.AllowsExactly(output, deny);
        NsgAssert.DeniesOtherInternetEgress(output, expected: false);
        Assert.That(output.Rules.Select(r => r.Name), Has.None.Contains("deny-internet-outbound"));
        Assert.That(deny.ToAzureCli(), Does.Not.Contain("deny-internet-outbound").And.Not.Contain("AllowInternetOutBound"), "nor a note about it");
    }

    [Test]
    public void Plan_ListenerRules_DenyEachClosedPortFromAnyAddressBelowTheAllows()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            Features = ["dogstatsd", "apm"],
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") },
        });

        (NsgOutput arm, _) = NsgOutput.FromArm(listeners.ToAzureArm());
        (NsgOutput bicep, _, _) = NsgOutput.FromBicep(listeners.ToBicep());
        ScriptRun run = FakeCli.Run(listeners.ToAzureCli(), Target);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        foreach (NsgOutput output in new[] { arm, bicep, NsgOutput.FromAzCalls(run.Calls) })
        {
            NsgAssert.AllowsExactly(output, listeners);
            NsgAssert.WithinLimits(output);
            NsgAssert.DeniesOtherInternetEgress(output, expected: false);
            Assert.That(output.Rules.Where(r => r.Access == "Deny").Select(r => $"{r.Name} {r.Priority} {r.Protocol} {r.DestinationPorts} {r.Description}"), Is.EqualTo(new[]
            {
                "datadog-ingress-tcp-8126-deny-others 4095 Tcp 8126 deny other ingress on 8126/tcp (closed port)",
                "datadog-ingress-udp-8125-deny-others 4096 Udp 8125 deny other ingress on 8125/udp (closed port)",
            }));
        }

        Assert.That(listeners.ToAzureCli(), Does.Contain(
            "# datadog-ingress-udp-8125-deny-others (priority 4096) denies other inbound traffic on 8125/udp, a closed port: " +
            "Azure's default rule AllowVnetInBound (65000) would let the virtual network reach it.\n"));
    }

    [Test]
    public void Plan_ClosedEgressPortAndInternetDeny_TakeTheLastPrioritiesInTurn()
    {
        RuleSet rules = RuleSet.Create(
        [
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Parse("8125/udp"), PrefixSet.Parse("10.1.2.3/32"), ["statsd-relay"], closesPort: true),
            new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20"), ["logs"]),
        ], new RuleSetProvenance(null, null, null, ["logs", "statsd-relay"], false));

        (NsgOutput output, _) = NsgOutput.FromArm(rules.ToAzureArm(new AzureNsgOptions { DenyPriority = 4000 }));

        NsgAssert.AllowsExactly(output, rules);
        NsgAssert.WithinLimits(output);
        NsgAssert.DeniesOtherInternetEgress(output, expected: true);
        Assert.That(output.Rules.Select(r => $"{r.Name} {r.Priority} {r.Access} [{string.Join(" ", r.Destinations)}]"), Is.EqualTo(new[]
        {
            "datadog-egress-tcp-443-ipv4 100 Allow [3.233.144.0/20]",
            "datadog-egress-udp-8125-ipv4 110 Allow [10.1.2.3/32]",
            "datadog-egress-udp-8125-deny-others 3999 Deny [*]",
            "datadog-deny-internet-outbound 4000 Deny [Internet]",
        }));
    }

    [Test]
    public void Plan_DenyRulesBelowTheFirstPriority_AreRefused()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd", "apm"] });

        Assert.That(() => listeners.ToAzureArm(new AzureNsgOptions { DenyPriority = 100 }), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("the 2 ingress deny rules need priorities from 99, below Azure's 100: raise AzureNsgOptions.DenyPriority"));
        Assert.That(() => listeners.ToAzureArm(new AzureNsgOptions { DenyPriority = 130 }), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("past the deny rules' 129"));
    }

    [TestCaseSource(nameof(Formats))]
    public void Write_NoPrefixOfTheFamily_IsRefusedNotRenderedAsNothingOrEverything(string format)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format, new EmitterOptions { Families = AddressFamilies.IPv6 });

        Assert.That(() => RuleSet.For(Version(52), Section.Webhooks).Render(emitter), Throws.TypeOf<RuleGenerationException>()
            .With.Message.Contains("list no IPv6 prefixes"));
    }

    [Test]
    public void Write_NoComments_LeavesOutDescriptionsAndProvenance()
    {
        var options = new AzureNsgOptions { Comments = false };
        RuleSet logs = RuleSet.For(Section.Logs);

        Assert.That(logs.ToBicep(options), Does.Not.Contain("//").And.Not.Contain("description:"));
        Assert.That(JsonNode.Parse(logs.ToAzureArm(options))!.AsObject().ContainsKey("metadata"), Is.False);
        Assert.That(logs.ToAzureCli(options).Split('\n').Where(l => l.StartsWith('#')), Is.EqualTo(new[] { "#!/usr/bin/env bash" }));
    }

    private static IEnumerable<string> Strings(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Value is null ? [] : Strings(p.Value)),
        JsonArray array => array.SelectMany(item => item is null ? [] : Strings(item)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };
}
