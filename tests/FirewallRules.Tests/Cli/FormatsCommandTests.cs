using FirewallRules.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>fwrules formats</c>, which <c>sync --help</c> points to for <c>--format</c>: every format generate renders, and under
/// each one sync takes, what sync does with it, as the format's folder declares it; a target of sync alone is listed too.
/// </summary>
[TestFixture]
public class FormatsCommandTests
{
    [Test]
    public async Task Formats_EverySyncTarget_SaysWhatSyncDoesWithIt()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "formats");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Dictionary<string, string[]> sync = SyncLines(result.Output);
        string[] targets = [.. EmitterRegistry.Default.SyncTargets.Select(t => t.Format)];
        Assert.That(sync.Keys, Is.EquivalentTo(targets), result.Output);
        Assert.That(sync.Values.Select(lines => lines.Length), Is.All.EqualTo(1), "one sync line per format");
    }

    [Test]
    public async Task Formats_AwsTargets_DescribeTheAccountSyncNotTheScript()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "formats");

        Dictionary<string, string[]> sync = SyncLines(result.Output);
        Assert.That(sync["aws-prefix-list"][0], Does.Contain("prefix lists").And.Contain("AWS"), result.Output);
        Assert.That(sync["aws-sg"][0], Does.Contain("security groups").And.Not.Contain("bash"), result.Output);
        Assert.That(sync["nftables"][0], Does.Contain("this host"), result.Output);
        Assert.That(result.Output, Does.Match(@"(?m)^aws-prefix-list +\S"), "a target of sync alone has a line of its own");
    }

    // Each format (a line starting with its name) with the indented "sync: " lines under it.
    private static Dictionary<string, string[]> SyncLines(string output)
    {
        var lines = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? format = null;
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith(' '))
            {
                format = line.Split(' ', 2)[0];
            }
            else if (format is not null && line.TrimStart().StartsWith("sync: ", StringComparison.Ordinal))
            {
                (lines.TryGetValue(format, out List<string>? list) ? list : lines[format] = []).Add(line.Trim());
            }
        }

        return lines.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}
