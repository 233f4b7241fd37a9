using System.Net;
using FirewallRules.Aws;
using FirewallRules.Cli.Commands;
using FirewallRules.Rules;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// What an account sync prints against moto: nothing on success with <c>--quiet</c>; the allow-all egress warning only
/// when the sync keeps egress rules in the group; its summary (and its stop line) with the document's date in ISO 8601
/// and counts that agree with their nouns.
/// </summary>
[TestFixture]
[Category("Aws")]
public class AwsSyncOutputTests
{
    [Test]
    public async Task SyncAwsPrefixList_Quiet_PrintsNothingOnSuccess()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));

        ProcessResult applied = await account.SyncAsync("-s", "logs", "-q");
        ProcessResult unchanged = await account.SyncAsync("-s", "logs", "--quiet");

        Assert.That((applied.ExitCode, applied.Output, applied.Error), Is.EqualTo((0, string.Empty, string.Empty)));
        Assert.That((unchanged.ExitCode, unchanged.Output, unchanged.Error), Is.EqualTo((0, string.Empty, string.Empty)));
        Assert.That(account.Lists(), Has.Count.EqualTo(2), "the quiet run made the lists");
    }

    [Test]
    public async Task SyncAwsPrefixList_Summary_DatesTheDocumentInIso8601AndCountsOneEntryInTheSingular()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));

        ProcessResult run = await account.SyncAsync("-s", "logs");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output, Does.StartWith($"sync: applied ip-ranges version 47 (2022-01-25T20:00:00Z) to the prefix lists {account.Name} " +
            "(region us-east-1, account 123456789012): "));
        Assert.That(run.Output, Does.Contain(": create +1 -0, 1 entry, MaxEntries ").And.Not.Contain("1 entries"));
    }

    [Test]
    public async Task SyncAwsSg_IngressSectionsOnly_DoesNotWarnOfTheAllowAllEgressRule()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47), "aws-sg");
        (_, string group) = AwsGroups.Create(account);

        ProcessResult ingress = await account.SyncAsync("-s", "webhooks", "--group-id", group, "--family", "ipv4");

        Assert.That(ingress.ExitCode, Is.Zero, ingress.Error);
        Assert.That(ingress.Error, Does.Not.Contain("allow-all egress"), "webhooks is inbound: the group's egress is not this sync's");

        ProcessResult egress = await account.SyncAsync("-s", "logs", "--group-id", group, "--rules-per-group", "1000");

        Assert.That(egress.ExitCode, Is.Zero, egress.Error);
        Assert.That(egress.Error, Does.Contain($"security group {group} still has the default allow-all egress rule"), "logs is outbound");
    }

    [Test]
    public void StoppedAccountLine_OneEntryList_SaysEntryInTheSingular()
    {
        var list = new OwnedPrefixList("pl-1", "n-ipv4", AddressFamilies.IPv4, 1, 3, 10, [IPNetwork.Parse("192.0.2.0/24")], "47");

        string line = StoppedAccount.Describe(list, list, planned: null, "52");

        Assert.That(line, Is.EqualTo("n-ipv4 (pl-1) holds version 3, 1 entry, as before this run (document version 47)"));
    }

    [Test]
    public void FailedWhileStopping_FailureGivenAsData_NamesItAloneWhateverAwsSaid()
    {
        // AWS's own words may hold what the old cut looked for (": read again, "): the failure is taken as given, not cut from the message.
        const string Failed = "restoring prefix list pl-1 (n-ipv4) to version 3 failed (Throttling: busy: read again, later)";
        var failure = new AwsSyncException($"stopped part-way; {Failed}: read again, it holds version 4, 2 entries (version 3 held 1): part of the change")
        {
            Failure = Failed,
        };

        Assert.That(StoppedAccount.FailedWhileStopping(failure), Is.EqualTo("; " + Failed));
        Assert.That(StoppedAccount.FailedWhileStopping(new AwsSyncException("describe prefix lists failed (Throttling)")),
            Is.EqualTo("; describe prefix lists failed (Throttling)"), "without the data, the whole message");
    }
}
