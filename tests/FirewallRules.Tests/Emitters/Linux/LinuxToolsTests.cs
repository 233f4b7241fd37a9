namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>The gate of the real-tool tests never lets a missing prerequisite pass silently.</summary>
[TestFixture]
public class LinuxToolsTests
{
    [Test]
    public void MissingPrerequisite_ToolNotInstalled_SaysWhy()
    {
        string? missing = LinuxTools.MissingPrerequisite(["fwr-no-such-tool"]);

        Assert.That(missing, Does.Contain("fwr-no-such-tool").Or.Contain("root").Or.Contain("Linux"));
    }

    [Test]
    public void MissingPrerequisite_InCI_IsNothing()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true")
        {
            Assert.Ignore("only meaningful where CI=true: CI must provide root and every tool");
        }

        Assert.That(LinuxTools.MissingPrerequisite(["ip", "nft", "iptables", "ip6tables", "ipset", "sh"]), Is.Null);
    }
}
