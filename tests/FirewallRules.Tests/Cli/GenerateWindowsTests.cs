using FirewallRules.Tests.Emitters.Windows;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules generate</c> with the Windows formats, end to end.</summary>
[TestFixture]
public class GenerateWindowsTests
{
    [Test]
    public async Task Generate_WindowsLogs_RealProcessWritesTheScriptAndSaysTheDataIsOld()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "--format", "windows", "--section", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        PowerShellScript script = PowerShellScript.Read(result.Output);
        Assert.That(script.Invocations("New-NetFirewallRule").Select(c => (c["-RemotePort"].Single, string.Join(' ', c["-RemoteAddress"].Items))), Is.EqualTo(new[]
        {
            ("443", "3.233.144.0/20"), ("443", "2600:1f18:24e6:b900::/56"), ("10516", "3.233.144.0/20"), ("10516", "2600:1f18:24e6:b900::/56"),
        }));
        Assert.That(result.Output, Does.Contain("# Source: Datadog ip-ranges version 59, modified 2024-10-17T00:00:00Z, site US1 (datadoghq.com).")
            .And.Contain("# This is the snapshot shipped with the package, not the live list"));
        Assert.That(result.Error, Does.Contain("generate: windows for logs").And.Contain("not the live list"));
    }

    [Test]
    public async Task Generate_WindowsNetshToAFile_WritesTheScriptThere()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fwrules-{Guid.NewGuid():N}.netsh");
        try
        {
            ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "windows-netsh", "-d", "ingress", "--name", "dd",
                "--input", TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), "--output", path);

            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(result.Output, Is.Empty);
            NetshScript script = NetshScript.Read(await File.ReadAllTextAsync(path));
            Assert.That(script.Deletes, Is.EqualTo(new[] { "dd (FirewallRules)" }));
            Assert.That(script.Adds.Select(a => (a["name"], a["description"].Split(':')[0])), Is.EqualTo(new[] { ("dd (FirewallRules)", "ingress-tcp-443 IPv4 1/1") }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Formats_ListsBothWindowsFormatsWithHowToApply()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "formats");

        Assert.That(result.Output, Does.Contain("windows ").And.Contain("-WhatIf").And.Contain("windows-netsh").And.Contain("netsh -f FILE"));
    }
}
