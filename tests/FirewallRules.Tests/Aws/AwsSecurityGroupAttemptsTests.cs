namespace FirewallRules.Tests.Aws;

/// <summary>
/// <c>sync -f aws-sg</c> whose revoke AWS refuses once as another run at once would make it refuse it
/// (<c>InvalidPermission.NotFound</c>): the run reads the groups again and makes the rest of the change, and both the
/// report and a stop's line count what every attempt did, not the last one's calls alone.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsSecurityGroupAttemptsTests
{
    [Test]
    public async Task Report_RevokeRefusedOnceAsAConcurrentRunMakesIt_AddsUpTheFirstAttemptsAuthorizeAndTheSecondsRevoke()
    {
        using var documents = new TempFiles();
        (AwsAccount account, string group, string[] tail, string[] old, string[] wanted) = await StartAsync(documents.DirectoryPath, 7500);
        await using (account)
        {
            int revokes = 0;
            account.Proxy.BeforeForward = (action, _) =>
                Task.FromResult(action == "RevokeSecurityGroupEgress" && Interlocked.Increment(ref revokes) == 1 ? "InvalidPermission.NotFound" : null);

            ProcessResult run = await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);

            Assert.That(revokes, Is.EqualTo(2), "the revoke was not made again");
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(wanted));
            Assert.That(run.Output, Does.Contain($"  {group} (").And.Contain($"): +{wanted.Except(old).Count()} -{old.Except(wanted).Count()} rules, "),
                "the report does not add up both attempts");
        }
    }

    [Test]
    public async Task Signal_DuringTheSecondAttemptsRevoke_TheLineNamesTheNewRulesCountingBothAttempts()
    {
        using var documents = new TempFiles();
        (AwsAccount account, string group, string[] tail, string[] old, string[] wanted) = await StartAsync(documents.DirectoryPath, 7600);
        await using (account)
        {
            // The first revoke is refused; the second attempt's is in flight when the stop comes, and is answered after it.
            (TaskCompletionSource arrived, TaskCompletionSource release) =
                AwsSyncStopTests.HoldInFlight(account, "RevokeSecurityGroupEgress", "InvalidPermission.NotFound");
            using SyncProcess sync = SyncProcess.Start(account, [.. account.Common(), .. tail]);
            ProcessResult stopped = await sync.StopWhileInFlightAsync(arrived.Task, release, AwsSyncStopTests.AwsLatency);
            await account.Proxy.IdleAsync();

            SyncProcess.StopLine(stopped);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(wanted));
            Assert.That(stopped.Error, Does.Contain($"security group {group} holds {wanted.Length} owned rules: the new rules " +
                $"({wanted.Except(old).Count()} added, {old.Except(wanted).Count()} revoked)"), "the line does not count both attempts");
        }
    }

    /// <summary>A group synced with <c>--cidr-rules</c> from one document, and the next document served: the rules before and wanted.</summary>
    private static async Task<(AwsAccount Account, string Group, string[] Tail, string[] Old, string[] Wanted)> StartAsync(string work, long version)
    {
        AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, version, 0, 6), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] tail = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, tail);
        string[] old = AwsGroups.Owned(account, group);
        string next = GeneratedDocuments.Write(work, version + 1, 2, 8);
        account.Mirror.Serve(next);
        return (account, group, tail, old, AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(next), ["logs"])));
    }
}
