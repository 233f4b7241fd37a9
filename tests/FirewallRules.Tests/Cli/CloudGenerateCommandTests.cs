using FirewallRules.Emitters;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules generate</c> with the cloud formats, through the real executable.</summary>
[TestFixture]
public class CloudGenerateCommandTests
{
    private static readonly string[] CloudFormats = ["aws-sg", "aws-cloudformation", "terraform", "azure-nsg", "azure-arm", "bicep"];

    [TestCaseSource(nameof(CloudFormats))]
    public async Task Generate_CloudFormat_WritesWhatTheLibraryRenders(string format)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "--format", format, "--section", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(RuleSet.For(Section.Logs).Render(EmitterRegistry.Default.Create(format))));
        Assert.That(result.Error, Does.StartWith($"generate: {format} for logs from ip-ranges version 59"));
    }

    [Test]
    public async Task Generate_AwsSgWithNameAndBudget_FitsOneGroupNamedAfterTheOption()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "aws-sg", "-s", "agents", "--name", "dd-prod", "--max-rules", "60",
            "--input", TestData.Path_("ip-ranges", "datadoghq.com-v30.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("dd_prod_egress_1=$(group_id DD_PROD_EGRESS_1 dd-prod-egress-1)\n").And.Not.Contain("EGRESS_2"));
        Assert.That(result.Error, Does.Match(@"--max-rules allowed [1-9]\d* extra IPv4"));
    }

    [Test]
    public async Task Generate_AzureArmIngress_CoversWebhooksAndSynthetics()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "azure-arm", "--direction", "ingress",
            "--input", TestData.Path_("ip-ranges", "datadoghq.com-v52.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        (NsgOutput output, _) = NsgOutput.FromArm(result.Output);
        NsgAssert.AllowsExactly(output, RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v52.json")), Direction.Ingress));
        NsgAssert.DeniesOtherInternetEgress(output, expected: false);
    }

    [Test]
    public async Task Generate_CloudFormationOverTheRequestLimit_SaysOnStderrAndInTheTemplateToDeployThroughS3()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "aws-cloudformation", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v36.json"));
        ProcessResult small = await FwrulesProcess.RunAsync(null, "generate", "-f", "aws-cloudformation", "-s", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string bytes = System.Text.Encoding.UTF8.GetByteCount(result.Output).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(result.Error, Does.EndWith(
            $"\nnote: the template is {bytes} bytes, over the 51,200 CloudFormation takes in a request: " +
            "deploy it through S3, e.g. aws cloudformation deploy --template-file FILE --s3-bucket BUCKET --stack-name NAME\n"),
            "the streamed template's size, counted as it was written");
        Assert.That(result.Output, Does.StartWith("{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Description\":\"This template is over the 51,200 bytes"));
        Assert.That(small.Error, Does.Not.Contain("S3"), "a template that fits says nothing");
    }

    [Test]
    public async Task Generate_CloudFormatWithNothingToAllow_ExitsOneAndWritesNothing()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "terraform", "-s", "webhooks", "--family", "ipv6");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("webhooks list no IPv6 prefixes"));
    }

    [Test]
    public async Task Formats_ListsEveryCloudFormat()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "formats");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(CloudFormats.Where(f => !result.Output.Contains($"{f}  ", StringComparison.Ordinal)), Is.Empty, result.Output);
    }
}
