using System.Text.Json.Nodes;
using FirewallRules.Emitters.Azure;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The Azure outputs with real tools: azure-nsg scripts run unmodified by Debian's azure-cli against the loopback ARM
/// stand-in, and every ARM template checked against Azure's published schemas with python's jsonschema.
/// </summary>
/// <remarks>
/// Each az call takes a second or two of CPU, so the scripts run on a representative set: v52's logs egress (both
/// families, both ports and the Internet deny), then a re-run of it with fewer rules, and v52's ingress sections.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public class AzureRealToolTests
{
    private const string ResourceGroup = "rg-prod";
    private const string Nsg = "nsg-prod";

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    [Test]
    public async Task AzureNsg_RealAz_SendsTheArmTemplatesRulesAndARerunDeletesTheStaleOnes()
    {
        await using ArmStandIn arm = await ArmStandIn.StartAsync();
        using AzureCliSession az = AzureCliSession.LogIn(arm);
        JsonObject foreign = Rule("allow-ssh", 200, "Inbound", "22");
        arm.Seed(foreign);
        RuleSet first = RuleSet.For(Version(52), Section.Logs);

        ToolResult run = az.RunScript(first.ToAzureCli(), ResourceGroup, Nsg);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(Canonical(Sent(arm.Requests)), Is.EqualTo(Canonical(NsgOutput.FromArm(first.ToAzureArm()).Output)), "az sent the template's rules");
        Assert.That(arm.Requests.Where(r => r.Path.Contains("/resourceGroups/", StringComparison.Ordinal)).Select(r => r.Path),
            Has.All.StartWith($"/subscriptions/{ArmStandIn.SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Network/networkSecurityGroups/{Nsg}"));

        int before = arm.Requests.Count;
        RuleSet second = RuleSet.For(Version(52), ["logs"], new RuleSetOptions { Ports = [PortRange.Parse("443/tcp")] });
        ToolResult rerun = az.RunScript(second.ToAzureCli(), ResourceGroup, Nsg);

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Error);
        ArmRequest[] changes = [.. arm.Requests.Skip(before).Where(r => r.Method is "PUT" or "DELETE")];
        Assert.That(changes.TakeWhile(r => r.Method == "DELETE").Select(r => r.Path.Split('/')[^1]),
            Is.EquivalentTo(new[] { "datadog-egress-tcp-10516-ipv4", "datadog-egress-tcp-10516-ipv6" }), "the stale rules are deleted first");
        Assert.That(changes.SkipWhile(r => r.Method == "DELETE").Select(r => r.Method), Has.All.EqualTo("PUT"));
        NsgOutput expected = NsgOutput.FromArm(second.ToAzureArm()).Output;
        Assert.That(Canonical(NsgOutput.FromSecurityRules(new JsonArray([.. arm.Rules.Where(r => (string?)r["name"] != "allow-ssh").Select(r => r.DeepClone())]))),
            Is.EquivalentTo(Canonical(expected)), "the NSG holds exactly the new template's rules");
        Assert.That(arm.Rules.Select(r => (string?)r["name"]), Does.Contain("allow-ssh"), "a rule the script does not own is left alone");
    }

    [Test]
    public async Task AzureNsg_RealAzOnIngressSections_SendsTheArmTemplatesRules()
    {
        await using ArmStandIn arm = await ArmStandIn.StartAsync();
        using AzureCliSession az = AzureCliSession.LogIn(arm);
        RuleSet rules = RuleSet.All(Version(52), Direction.Ingress);

        ToolResult run = az.RunScript(rules.ToAzureCli(), ResourceGroup, Nsg);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        NsgOutput sent = Sent(arm.Requests);
        Assert.That(Canonical(sent), Is.EqualTo(Canonical(NsgOutput.FromArm(rules.ToAzureArm()).Output)));
        NsgAssert.AllowsExactly(sent, rules);
        NsgAssert.WithinLimits(sent);
    }

    [Test]
    public void Arm_EveryTemplate_ValidatesAgainstThePublishedSchemas()
    {
        string[] templates = [.. EveryTemplate()];
        using var files = new TempFiles();
        string[] paths = [.. templates.Select((t, i) => files.Write($"template-{i}.json", t))];

        ToolResult validation = ValidateArm(paths);

        Assert.That(validation.ExitCode, Is.EqualTo(0), validation.Output + validation.Error);
        Assert.That(validation.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(paths.Length).And.All.EndsWith(": valid"));
    }

    [Test]
    public void Arm_SchemaValidator_RejectsARuleWithAnAccessAzureDoesNotKnow()
    {
        using var files = new TempFiles();
        string broken = RuleSet.For(Version(52), Section.Logs).ToAzureArm().Replace("\"access\": \"Allow\"", "\"access\": \"Permit\"", StringComparison.Ordinal);

        ToolResult validation = ValidateArm([files.Write("broken.json", broken)]);

        Assert.That(validation.ExitCode, Is.EqualTo(1));
        Assert.That(validation.Output, Does.Contain("'Permit' is not one of ['Allow', 'Deny']"));
    }

    // Every document in both directions, and the options and listener rules that change the template's shape.
    private static IEnumerable<string> EveryTemplate()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            foreach (Direction direction in new[] { Direction.Egress, Direction.Ingress })
            {
                yield return RuleSet.All(IpRangesDocument.Load(path), direction).ToAzureArm();
            }
        }

        yield return RuleSet.For(Version(52), Section.Logs).ToAzureArm(new AzureNsgOptions { Comments = false, DenyInternetOutbound = false });
        yield return RuleSet.For(Version(30), Section.Agents).ToAzureArm(new AzureNsgOptions { MaxPrefixesPerRule = 10, FirstPriority = 300 });
        yield return LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions()).ToAzureArm();
    }

    private static ToolResult ValidateArm(IEnumerable<string> paths) =>
        ExternalTool.Run(ExternalTool.Command("python3"), [TestData.Path_("validators", "validate.py"), "arm", .. paths], timeout: TimeSpan.FromMinutes(5));

    // The rules az sent to ARM, in the order it sent them.
    private static NsgOutput Sent(IEnumerable<ArmRequest> requests) =>
        NsgOutput.FromSecurityRules(new JsonArray([.. requests.Where(r => r.Method == "PUT").Select(r => JsonNode.Parse(r.Body))]));

    private static string[] Canonical(NsgOutput output) => [.. output.Rules.Select(r => r.Canonical)];

    private static JsonObject Rule(string name, int priority, string direction, string port) => new()
    {
        ["name"] = name,
        ["properties"] = new JsonObject
        {
            ["priority"] = priority,
            ["direction"] = direction,
            ["access"] = "Allow",
            ["protocol"] = "Tcp",
            ["sourcePortRange"] = "*",
            ["destinationPortRange"] = port,
            ["sourceAddressPrefix"] = "10.0.0.0/8",
            ["destinationAddressPrefix"] = "*",
        },
    };
}
