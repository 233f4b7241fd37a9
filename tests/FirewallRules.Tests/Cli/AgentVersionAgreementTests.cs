using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// An Agent version is read one way wherever it is written: <c>--agent-version</c> (checked as the command line is parsed)
/// and a Helm <c>agents.image.tag</c> (read by the library) accept and refuse the same texts, suffixes included.
/// </summary>
[TestFixture]
public class AgentVersionAgreementTests
{
    [TestCase("7.64.2", true)]
    [TestCase("7.64.2-jmx", true)]
    [TestCase("7.64.0-rc.1", true)]
    [TestCase("7.64.2+build.5", true)]
    [TestCase("7", true)]
    [TestCase("7.64", true)]
    [TestCase("6.0.0", true)]
    [TestCase("7.64.2-", false)]
    [TestCase("7.64.2+", false)]
    [TestCase("7.64.2-\u212a", false)]
    [TestCase("7.64.2-a@b", false)]
    [TestCase("7.64.2-a+b", false)]
    [TestCase("7.64.2-a b", false)]
    [TestCase("7.64.2_x", false)]
    [TestCase("07.80.0", false)]
    [TestCase("7.080.00", false)]
    [TestCase("8.0.0", false)]
    [TestCase("7.1.2.3", false)]
    public async Task AgentVersion_TheOptionAndTheHelmImageTag_AcceptAndRefuseTheSameTexts(string text, bool accepted)
    {
        ProcessResult option = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", TestData.Path_("agent", "datadog.yaml.example"), "--agent-version", text);
        bool tag = true;
        try
        {
            AgentConfiguration.Parse(null, null, $"agents:\n  image:\n    tag: \"{text}\"\n", null);
        }
        catch (AgentConfigurationException)
        {
            tag = false;
        }

        Assert.That((Option: option.ExitCode != 2, Tag: tag), Is.EqualTo((accepted, accepted)), option.Error);
    }

    [TestCase(" 7.64.2")]
    [TestCase("\t7.64.2")]
    [TestCase("\u00a07.64.2")]
    [TestCase("7.64.2 ")]
    public async Task AgentVersion_WithSpaceAround_IsTheVersionInBothPlaces(string text)
    {
        ProcessResult option = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", TestData.Path_("agent", "datadog.yaml.example"), "--agent-version", text);
        AgentPlan tag = AgentConfiguration.Parse(null, null, $"agents:\n  image:\n    tag: \"{text}\"\n", null);

        Assert.That(option.Output, Does.StartWith("Agent 7.64.2 "), option.Error);
        Assert.That(tag.AgentVersion, Is.EqualTo("7.64.2"), "a tag with a space before it is still that version, not one naming none");
    }
}
