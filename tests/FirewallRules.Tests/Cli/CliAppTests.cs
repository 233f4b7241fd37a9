using System.CommandLine;
using FirewallRules.Cli;

namespace FirewallRules.Tests.Cli;

/// <summary>The command tree a run builds: only the verb it names, and every verb when it names none.</summary>
[TestFixture]
public class CliAppTests
{
    private static readonly CliConsole Quiet = new(() => Stream.Null, () => Stream.Null, TextWriter.Null, false);

    private static string[] VerbsOf(RootCommand root) => root.Subcommands.Select(command => command.Name).ToArray();

    [Test]
    public void CreateRoot_WithoutArguments_HoldsEveryVerbInHelpOrder()
    {
        string[] verbs = VerbsOf(CliApp.CreateRoot(Quiet));

        Assert.That(verbs, Is.EqualTo(new[]
        {
            "generate", "privatelink", "aggregate", "fetch", "sync", "verify", "serve", "diff", "sections", "sites", "ports", "plan", "formats",
        }));
    }

    [Test]
    public void CreateRoot_ArgumentsStartingWithAVerb_HoldsOnlyThatVerb()
    {
        foreach (string verb in VerbsOf(CliApp.CreateRoot(Quiet)))
        {
            Assert.That(VerbsOf(CliApp.CreateRoot(Quiet, args: [verb, "--help"])), Is.EqualTo(new[] { verb }), verb);
        }
    }

    [TestCase("--help")]
    [TestCase("--version")]
    [TestCase("-q")]
    [TestCase("genrate")]
    [TestCase("GENERATE")]
    public void CreateRoot_FirstArgumentNotAVerb_HoldsEveryVerb(string first)
    {
        Assert.That(CliApp.CreateRoot(Quiet, args: [first, "generate"]).Subcommands, Has.Count.EqualTo(13));
    }

    [Test]
    public async Task RunAsync_OneVerbTree_ParsesAndRunsAsTheFullTreeDoes()
    {
        ProcessResult oneVerb = await FwrulesInProcess.RunAsync(null, "generate", "--section", "logs", "--format", "nftables", "-q");
        ProcessResult quietFirst = await FwrulesInProcess.RunAsync(null, "-q", "generate", "--section", "logs", "--format", "nftables");

        Assert.That(oneVerb.ExitCode, Is.EqualTo(0), oneVerb.Error);
        Assert.That(oneVerb.Output, Does.Contain("table inet"));
        Assert.That(quietFirst.ExitCode, Is.EqualTo(0), quietFirst.Error);
        Assert.That(oneVerb.Output, Is.EqualTo(quietFirst.Output));
    }
}
