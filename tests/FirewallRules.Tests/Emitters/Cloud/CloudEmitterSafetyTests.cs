using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Hostile values on their way into the cloud outputs: free text in a rule set's provenance (it reaches every
/// header), names from options and from the environment, and each target's escaping on its own.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class CloudEmitterSafetyTests
{
    // Free text that tries every target's code syntax: a line break then shell, HCL and Bicep interpolation, an
    // ARM expression, quotes, a backslash and a Unicode line separator.
    private const string Hostile = "2022-11-14\ntouch pwned; $(touch pwned2) `touch pwned3` ${file(\\\"/etc/passwd\\\")} %{ if true }x%{ endif } ' \\\" \\\\ \u2028[concat('a')]";

    private static readonly IpRangesDocument Document = IpRangesDocument.Parse(
        $$$"""{"version": 53, "modified": "{{{Hostile.Replace("\n", "\\n", StringComparison.Ordinal)}}}", "logs": """
        + """{"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": ["2600:1f18:24e6:b900::/56"]}}""");

    // A document's stamp is printed only in a recognised format, so free text reaches a header through a
    // hand-built provenance, which is not validated.
    private static readonly RuleSet HostileRules = WithModified(RuleSet.For(Document, Section.Logs), Hostile);

    [Test]
    public void Document_HostileModifiedText_IsKeptButNeverReachesTheProvenance()
    {
        Assert.That(Document.ModifiedText, Does.Contain("\ntouch pwned;").And.Contain("${file(").And.Contain("[concat('a')]"));
        Assert.That(RuleSet.For(Document, Section.Logs).Provenance.Modified, Is.Null);
    }

    [Test]
    public void AwsCli_HostileDocumentText_StaysInComments()
    {
        string script = HostileRules.ToAwsSecurityGroup();

        ScriptRun run = FakeCli.Run(script, new Dictionary<string, string> { ["DATADOG_EGRESS_1"] = "sg-0123456789abcdef0" },
            existingRules: "sg-0123456789abcdef0\tsgr-0123456789abcdef0\tTrue\n");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(run.CreatedFiles, Is.Empty, "nothing ran but the aws calls");
        Assert.That(run.Calls.Select(c => c[1]), Is.EqualTo(new[]
        {
            "describe-security-groups", "describe-security-group-rules", "revoke-security-group-egress", "authorize-security-group-egress", "authorize-security-group-egress",
        }));
        Assert.That(script.Split('\n').Where(l => l.Contains("pwned", StringComparison.Ordinal)), Has.All.StartWith("# "));
    }

    [Test]
    public void AzureCli_HostileDocumentText_StaysInComments()
    {
        string script = HostileRules.ToAzureCli();

        ScriptRun run = FakeCli.Run(script, new Dictionary<string, string> { ["DATADOG_RESOURCE_GROUP"] = "rg", ["DATADOG_NSG"] = "nsg" });

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        Assert.That(run.CreatedFiles, Is.Empty, "nothing ran but the az calls");
        Assert.That(run.Calls.Select(c => c[3]).Distinct(), Is.EqualTo(new[] { "list", "create" }));
        Assert.That(script.Split('\n').Where(l => l.Contains("pwned", StringComparison.Ordinal)), Has.All.StartWith("# "));
    }

    [Test]
    public void Terraform_HostileDocumentText_StaysInCommentsAndNoStringInterpolates()
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        string hcl = HostileRules.ToTerraform();
        using var files = new TempFiles();

        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, [files.Write("hostile.tf", hcl)]);

        Assert.That(parsed.ExitCode, Is.EqualTo(0), parsed.Error);
        Assert.That(hcl.Split('\n').Where(l => l.Contains("pwned", StringComparison.Ordinal)), Has.All.StartWith("# "));
        Assert.That(parsed.Output, Does.Not.Contain("pwned"), "comments are not configuration");
        using JsonDocument result = JsonDocument.Parse(parsed.Output);
        Assert.That(Strings(result.RootElement).Where(s => s.Contains("${", StringComparison.Ordinal)),
            Is.EquivalentTo(new[] { "${string}", "${can(regex(\"^vpc-[0-9a-f]{8}([0-9a-f]{9})?$\", var.datadog_vpc_id))}", "${var.datadog_vpc_id}" }
                .Concat(Enumerable.Repeat("${aws_security_group.datadog_egress_1.id}", 4))
                .Concat(Enumerable.Repeat("${each.value}", 4)).Concat(Enumerable.Repeat("${toset([\n    \"3.233.144.0/20\",\n  ])}", 2))
                .Concat(Enumerable.Repeat("${toset([\n    \"2600:1f18:24e6:b900::/56\",\n  ])}", 2))),
            "the only expressions are the emitter's own references");
    }

    [Test]
    public void Bicep_HostileDocumentText_StaysInComments()
    {
        string bicep = HostileRules.ToBicep();

        (NsgOutput output, _, _) = NsgOutput.FromBicep(bicep);

        NsgAssert.AllowsExactly(output, HostileRules);
        Assert.That(bicep.Split('\n').Where(l => l.Contains("pwned", StringComparison.Ordinal)), Has.All.StartWith("// "));
    }

    [Test]
    public void JsonFormats_HostileDocumentText_IsOneEscapedStringAndNeverAnArmExpression()
    {
        JsonNode arm = JsonNode.Parse(HostileRules.ToAzureArm())!;
        JsonNode cfn = JsonNode.Parse(HostileRules.ToCloudFormation())!;

        string armLine = arm["metadata"]!["provenance"]!.AsArray().Select(l => (string)l!).Single(l => l.Contains("pwned", StringComparison.Ordinal));
        Assert.That(armLine, Does.StartWith("Source: Datadog ip-ranges version 53, modified 2022-11-14 touch pwned;").And.Not.Contain("\n"));
        Assert.That(cfn["Metadata"]!["FirewallRules"]!["Provenance"]!.AsArray().Select(l => (string)l!), Has.Some.EqualTo(armLine));
        Assert.That((string)cfn["Description"]!, Does.Contain(armLine));
    }

    [Test]
    public void AwsCli_HostileGroupIdAtRunTime_StopsBeforeAnyCall()
    {
        string script = RuleSet.For(Section.Logs).ToAwsSecurityGroup();

        ScriptRun run = FakeCli.Run(script, new Dictionary<string, string> { ["DATADOG_EGRESS_1"] = "sg-01234567$(touch pwned)" });

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Error, Does.Contain("set DATADOG_EGRESS_1 to the id of security group datadog-egress-1"));
        Assert.That(run.Calls, Is.Empty);
        Assert.That(run.CreatedFiles, Is.Empty);
    }

    [TestCase("x;rm")]
    [TestCase("a${b}")]
    [TestCase("[concat('a')]")]
    [TestCase("datadog'")]
    public void Options_HostileName_IsRefusedByEveryCloudOptionsClass(string name)
    {
        Assert.That(() => new AwsSecurityGroupOptions { Name = name }, Throws.ArgumentException);
        Assert.That(() => new AzureNsgOptions { Name = name }, Throws.ArgumentException);
    }

    [TestCase("plain", "\"plain\"")]
    [TestCase("${var.x}", "\"$${var.x}\"")]
    [TestCase("%{ if x }", "\"%%{ if x }\"")]
    [TestCase("cost $5 {ok}", "\"cost $5 {ok}\"")]
    [TestCase("quote \" back \\ nl \n", "\"quote \\\" back \\\\ nl \\n\"")]
    public void HclString_Quote_EscapesTemplatesQuotesAndControls(string text, string expected)
    {
        Assert.That(HclString.Quote(text), Is.EqualTo(expected));
    }

    [Test]
    public void HclString_Quote_IsReadByHashiCorpsParserAsOneLiteral()
    {
        (string node, string modules) = ExternalTool.NodeModules("@cdktf/hcl2json");
        using var files = new TempFiles();
        string text = "a ${b} %{c} \"d\" \\ e";

        ToolResult parsed = ExternalTool.RunValidator("hcl2json.cjs", modules, node, [files.Write("s.tf", $"x = {HclString.Quote(text)}\n")]);

        Assert.That(parsed.ExitCode, Is.EqualTo(0), parsed.Error);
        // The parser keeps template escapes as written ($${, %%{) and decodes the backslash escapes.
        Assert.That(JsonDocument.Parse(parsed.Output).RootElement[0].GetProperty("x").GetString(), Is.EqualTo("a $${b} %%{c} \"d\" \\ e"));
    }

    [TestCase("it's")]
    [TestCase("${param}")]
    [TestCase("back\\slash $ {x} \n\t\u0001")]
    public void BicepString_Quote_ReadsBackAsTheSameText(string text)
    {
        BicepReader bicep = BicepReader.Read($"param p string = {BicepString.Quote(text)}\n");

        Assert.That(bicep.Parameters["p"], Is.EqualTo(text));
    }

    [Test]
    public void BicepReader_UnescapedInterpolation_IsAnError()
    {
        // The reader must be able to fail where Bicep would interpolate.
        Assert.That(() => BicepReader.Read("param p string = 'a${b}'\n"), Throws.TypeOf<FormatException>().With.Message.Contains("interpolation"));
    }

    [TestCase("[concat('a')]", "[[concat('a')]")]
    [TestCase("[[x]", "[[[x]")]
    [TestCase("[not an expression", "[not an expression")]
    [TestCase("x]", "x]")]
    [TestCase("10.0.0.0/8", "10.0.0.0/8")]
    public void ArmString_Literal_EscapesOnlyWhatArmWouldEvaluate(string text, string expected)
    {
        Assert.That(ArmString.Literal(text), Is.EqualTo(expected));
    }

    [TestCase("it's")]
    [TestCase("$(touch x) `y` \"z\" ; | & > <")]
    [TestCase("")]
    [TestCase("plain-word_1.2:3/4")]
    public void ShellQuote_Argument_ReachesTheCommandUnchanged(string text)
    {
        ScriptRun run = FakeCli.Run($"aws {ShellQuote.Argument(text)} {ShellQuote.DoubleQuoted(text)}\n");

        Assert.That(run.Calls.Single(), Is.EqualTo(new[] { text, text }));
        Assert.That(run.CreatedFiles, Is.Empty);
    }

    [TestCase("allow egress to 443/tcp for Datadog logs", "allow egress to 443/tcp for Datadog logs")]
    [TestCase("it's & \"x\" <y>\n", "it_s _ _x_ _y__")]
    public void AwsText_Description_KeepsOnlyWhatEc2Accepts(string text, string expected)
    {
        Assert.That(AwsText.Description(text), Is.EqualTo(expected));
    }

    [Test]
    public void AwsText_Description_IsCutTo255Characters()
    {
        Assert.That(AwsText.Description(new string('a', 300)), Has.Length.EqualTo(255));
    }

    [Test]
    public void CommentText_SingleLine_RemovesEveryLineBreakAndUnpairedSurrogate()
    {
        Assert.That(CommentText.SingleLine("a\nb\rc\u2028d\u2029e\u0085f\ud800g"), Is.EqualTo("a b c d e f\ufffdg"));
    }

    private static RuleSet WithModified(RuleSet rules, string modified) => RuleSet.Create(rules.Rules, rules.Provenance with { Modified = modified });

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.String => [element.GetString()!],
        _ => [],
    };
}
