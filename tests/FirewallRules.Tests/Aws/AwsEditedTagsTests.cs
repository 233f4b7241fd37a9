using System.Diagnostics;
using Amazon.EC2.Model;
using FirewallRules.Tests.Cli;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Tags anyone allowed to tag the prefix lists may edit, edited against moto between real <c>fwrules sync</c> runs: a grace record
/// deleted before every run counts as expired (the retired prefixes leave once <c>--keep-removed</c> has passed since Datadog last
/// published them), and a list whose <c>fwrules:managed-by</c> tag was changed is refused in one line naming it and the fix, with no
/// second list of the same name made beside it.
/// </summary>
[TestFixture]
[Category("Aws")]
[OwnMotoServer]
public sealed class AwsEditedTagsTests
{
    [Test]
    public async Task GraceRecordDeletedBeforeEachRun_CountsAsExpired_TheRetiredPrefixesLeaveWhenTheKeepPeriodEnds()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7800, 0, 20));
        string[] args = ["-s", "logs", "--keep-removed", "6s"];
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        var sinceLastPublished = Stopwatch.StartNew();
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 7801, 5, 25));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, args);
        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(0, 25)), "0 to 5 are kept at first");

        var warnings = new List<string>();
        while (sinceLastPublished.Elapsed < TimeSpan.FromSeconds(9))
        {
            ListState first = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
            Tag[] grace = [.. first.Tags.Keys.Where(k => k.StartsWith("fwrules:grace-", StringComparison.Ordinal)).Select(k => new Tag { Key = k })];
            if (grace.Length > 0)
            {
                await account.Ec2.DeleteTagsAsync(new() { Resources = [first.Id], Tags = [.. grace] });
            }

            ProcessResult run = await account.SyncAsync(args);
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            warnings.Add(run.Error);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.That(AwsAccount.Entries(account.Lists(), "ipv4"), Is.EqualTo(GeneratedDocuments.Range(5, 25)),
            "a retired prefix outlived --keep-removed because its grace record was deleted");
        Assert.That(warnings.Where(w => w.Length > 0).First(), Does.Contain("fwrules:grace-").And.Contain("missing or unreadable").And.Contain("expired"));
    }

    [Test]
    public async Task ManagedByTagChanged_RefusedInOneLineNamingTheListAndTheFix_NoSecondListIsMade()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 7900, 0, 20));
        await AwsPrefixListSyncTests.SyncSucceedsAsync(account, "-s", "logs");
        ListState list = account.Lists().Single(l => l.Name.EndsWith("-ipv4", StringComparison.Ordinal));
        account.Aws("create-tags", "--resources", list.Id, "--tags", "Key=fwrules:managed-by,Value=someone-else");
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 7901, 5, 25));

        ProcessResult run = await account.SyncAsync("-s", "logs");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.Contain($"prefix list {list.Name} ({list.Id})").And.Contain("fwrules:managed-by=someone-else").And.Contain(
            $"aws ec2 create-tags --resources {list.Id} --tags Key=fwrules:managed-by,Value=fwrules").And.EndWith("the account was left as it was\n"));
        IReadOnlyList<ListState> every = await account.EveryListAsync();
        Assert.That(every.Count(l => l.Name == list.Name), Is.EqualTo(1), "a second list of the same name was made");
        Assert.That(every.Single(l => l.Id == list.Id).Entries, Is.EquivalentTo(list.Entries), "the list was changed");
    }
}
