using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// gcp-firewall and terraform-gcp: every rule, expressed as the Compute API's Firewall resource, validates against the
/// Compute v1 discovery document; the HCL parses with HashiCorp's parser; the script runs under bash against a recording
/// gcloud; and both read back to exactly the rules' ranges and ports within GCP's limits.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class GcpEmitterTests
{
    private static readonly string[] NameAndTags = ["datadog-agent"];

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    private static IEnumerable<TestCaseData> EveryDocumentAndDirection() =>
        TestData.IpRangesDocuments.SelectMany(path => new[] { Direction.Egress, Direction.Ingress }
            .Select(direction => new TestCaseData(Path.GetFileName(path), direction).SetArgDisplayNames(Path.GetFileNameWithoutExtension(path), direction.ToString())));

    private static RuleSet All(string file, Direction direction) => RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", file)), direction);

    [TestCase("gcp-firewall", "sh")]
    [TestCase("terraform-gcp", "tf")]
    public void Write_RealDocuments_MatchTheReviewedOutput(string format, string extension)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format, new GcpFirewallOptions { TargetTags = NameAndTags });
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            Features = ["dogstatsd"],
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8") },
        });

        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Logs).Render(emitter), format, $"v52-logs-egress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Webhooks).Render(emitter), format, $"v52-webhooks-ingress.{extension}");
        GoldenFile.AssertMatches(RuleSet.For(Version(30), Section.Agents).Render(emitter), format, $"v30-agents-egress.{extension}");
        GoldenFile.AssertMatches(listeners.Render(emitter), format, $"datadog-dogstatsd.{extension}");
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void Terraform_RealDocument_ParsesAndValidatesAsTheRules(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        var options = new GcpFirewallOptions { TargetTags = NameAndTags };
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        using var files = new TempFiles();

        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, [files.Write("rules.tf", rules.ToTerraformGcp(options))]);

        Assert.That(parsed.ExitCode, Is.Zero, parsed.Error);
        JsonObject resources = JsonNode.Parse(parsed.Output)![0]!["resource"]!["google_compute_firewall"]!.AsObject();
        JsonArray firewalls = [.. resources.Select(r => FromTerraform(r.Value![0]!.AsObject()))];
        AssertFirewalls(firewalls, rules, options);
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void Gcloud_RealDocument_CreatesExactlyTheRulesWithinTheLimits(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        var options = new GcpFirewallOptions { TargetTags = NameAndTags };

        ScriptRun run = FakeCli.Run(rules.ToGcloudFirewall(options), new Dictionary<string, string> { ["FAKE_DESCRIBE_EXIT"] = "1" });

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        string[][] creates = run.Calls.Where(c => c.Take(3).SequenceEqual(["compute", "firewall-rules", "create"])).ToArray();
        Assert.That(run.Calls.Where(c => c[2] == "update"), Is.Empty, "no rule exists yet");
        AssertFirewalls([.. creates.Select(FromGcloud)], rules, options);
        Assert.That(creates.Select(c => c[^1]), Is.All.EqualTo("--quiet"));
    }

    [Test]
    public void Gcloud_ExistingRules_AreUpdatedInPlaceAndStaleOnesDeletedLast()
    {
        string script = RuleSet.For(Version(52), Section.Logs).ToGcloudFirewall();

        ScriptRun run = FakeCli.Run(script, existingRules: "datadog-egress-tcp-443-ipv4\ndatadog-egress-tcp-8443-ipv4\n");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        string[] verbs = run.Calls.Select(c => $"{c[2]} {c.ElementAtOrDefault(3)}").ToArray();
        Assert.That(verbs.Where(v => v.StartsWith("create", StringComparison.Ordinal)), Is.Empty);
        Assert.That(verbs[^1], Is.EqualTo("delete datadog-egress-tcp-8443-ipv4"), "the stale rule goes last, after every rule is in place");
        Assert.That(verbs.Count(v => v.StartsWith("delete", StringComparison.Ordinal)), Is.EqualTo(1));
        string[] update = run.Calls.First(c => c[2] == "update");
        Assert.That(
            update.Where(a => a.StartsWith("--direction", StringComparison.Ordinal)
                || a.StartsWith("--network", StringComparison.Ordinal) || a.StartsWith("--action", StringComparison.Ordinal)),
            Is.Empty, "update takes only what gcloud can change in place");
        Assert.That(update, Does.Contain("--destination-ranges=3.233.144.0/20"));
    }

    [Test]
    public void Gcloud_Script_PassesBashSyntaxCheck()
    {
        using var files = new TempFiles();
        string path = files.Write(
            "rules.sh",
            RuleSet.For(Version(30), Section.Agents).ToGcloudFirewall(new GcpFirewallOptions { TargetServiceAccounts = ["agent@project-1.iam.gserviceaccount.com"] }));

        ToolResult result = ExternalTool.Run(ExternalTool.Bash(), ["-n", path]);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
    }

    /// <summary>Each rule validates against the Compute v1 discovery document; together they allow exactly the rules, within GCP's limits.</summary>
    private static void AssertFirewalls(JsonArray firewalls, RuleSet rules, GcpFirewallOptions options)
    {
        IReadOnlyList<PublishedSchemas.Checked> checkedRules = PublishedSchemas.AssertValid("gcp", firewalls.ToJsonString());
        RuleSet prepared = ExpectedRules.For(rules, options);
        var expected = prepared.Rules.GroupBy(r => Key(
            r.Direction == Direction.Egress ? "EGRESS" : "INGRESS", r.Action == RuleAction.Allow ? "allowed" : "denied", r.Port.Protocol.ToString().ToLowerInvariant(),
            r.Port.IsSinglePort ? $"{r.Port.First}" : $"{r.Port.First}-{r.Port.Last}"))
            .ToDictionary(g => g.Key, g => g.SelectMany(r => r.Prefixes).Select(p => p.ToString()).Order(StringComparer.Ordinal).ToArray());
        var actual = new Dictionary<string, List<string>>();
        foreach (JsonObject firewall in checkedRules.Select(c => c.Document))
        {
            string name = firewall["name"]!.GetValue<string>();
            string[] ranges = [.. (firewall["destinationRanges"] ?? firewall["sourceRanges"])!.AsArray().Select(r => r!.GetValue<string>())];
            Assert.That(ranges, Has.Length.InRange(1, options.MaxRangesPerRule), name);
            Assert.That(ranges.Select(r => r.Contains(':', StringComparison.Ordinal)).Distinct().Count(), Is.EqualTo(1), $"{name} holds one family");
            Assert.That(name, Does.Match("^[a-z]([-a-z0-9]*[a-z0-9])?$").And.Length.LessThanOrEqualTo(63));
            Assert.That(firewall["targetTags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(options.TargetTags));
            if (name.Contains("-deny-", StringComparison.Ordinal))
            {
                continue;
            }

            string action = firewall["allowed"] is null ? "denied" : "allowed";
            JsonNode block = firewall[action]![0]!;
            string key = Key(firewall["direction"]!.GetValue<string>(), action, block["IPProtocol"]!.GetValue<string>(), block["ports"]![0]!.GetValue<string>());
            actual.TryAdd(key, []);
            actual[key].AddRange(ranges);
        }

        Assert.That(actual.ToDictionary(a => a.Key, a => a.Value.Order(StringComparer.Ordinal).ToArray()), Is.EqualTo(expected));
        foreach (IGrouping<string, JsonObject> direction in checkedRules.Select(c => c.Document).GroupBy(f => f["direction"]!.GetValue<string>()))
        {
            Assert.That(direction.Select(f => f["priority"]!.GetValue<int>()), Is.Unique.And.All.InRange(0, 65535), direction.Key);
        }
    }

    private static string Key(string direction, string action, string protocol, string ports) => $"{direction} {action} {protocol}:{ports}";

    /// <summary>A google_compute_firewall, as hcl2json reads it, as the Compute API's Firewall resource.</summary>
    internal static JsonObject FromTerraform(JsonObject body)
    {
        var firewall = new JsonObject
        {
            ["name"] = body["name"]!.GetValue<string>(),
            ["network"] = "global/networks/" + (body["network"]!.GetValue<string>() is { } network
                && network.StartsWith("${var.", StringComparison.Ordinal) && network.EndsWith("_network}", StringComparison.Ordinal)
                ? "default"
                : throw new AssertionException("network is not the network variable")),
            ["direction"] = body["direction"]!.GetValue<string>(),
            ["priority"] = body["priority"]!.GetValue<int>(),
        };
        foreach ((string hcl, string api) in new[]
        {
            ("description", "description"), ("destination_ranges", "destinationRanges"), ("source_ranges", "sourceRanges"), ("target_tags", "targetTags"),
            ("target_service_accounts", "targetServiceAccounts")
        })
        {
            if (body[hcl] is JsonNode value)
            {
                firewall[api] = value.DeepClone();
            }
        }

        foreach ((string hcl, string api) in new[] { ("allow", "allowed"), ("deny", "denied") })
        {
            if (body[hcl] is JsonArray blocks)
            {
                firewall[api] = new JsonArray([.. blocks.Select(b => Block(b!["protocol"]!.GetValue<string>(), b["ports"]?[0]?.GetValue<string>()))]);
            }
        }

        return firewall;
    }

    /// <summary>The arguments bash passed to gcloud compute firewall-rules create, as the Firewall resource gcloud sends.</summary>
    private static JsonObject FromGcloud(string[] call)
    {
        Dictionary<string, string> flags = call[4..^1].ToDictionary(a => a.Split('=', 2)[0], a => a.Split('=', 2)[1]);
        string[] rule = flags["--rules"].Split(':');
        var firewall = new JsonObject
        {
            ["name"] = call[3],
            ["network"] = "global/networks/" + flags["--network"],
            ["direction"] = flags["--direction"],
            ["priority"] = int.Parse(flags["--priority"], CultureInfo.InvariantCulture),
            [flags["--action"] == "ALLOW" ? "allowed" : "denied"] = new JsonArray(Block(rule[0], rule.ElementAtOrDefault(1))),
        };
        foreach ((string flag, string api) in new[]
        {
            ("--destination-ranges", "destinationRanges"), ("--source-ranges", "sourceRanges"), ("--target-tags", "targetTags"),
            ("--target-service-accounts", "targetServiceAccounts")
        })
        {
            if (flags.TryGetValue(flag, out string? value))
            {
                firewall[api] = new JsonArray([.. value.Split(',').Select(v => (JsonNode)v)]);
            }
        }

        if (flags.TryGetValue("--description", out string? description))
        {
            firewall["description"] = description;
        }

        return firewall;
    }

    private static JsonObject Block(string protocol, string? ports) => ports is null
        ? new JsonObject { ["IPProtocol"] = protocol }
        : new JsonObject { ["IPProtocol"] = protocol, ["ports"] = new JsonArray(ports) };
}
