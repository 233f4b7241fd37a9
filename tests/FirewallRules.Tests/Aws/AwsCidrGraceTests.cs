using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// <c>sync -f aws-sg --cidr-rules</c> run by two machines (two state directories) on one account: the keep period's record
/// lives in the owned rules' descriptions, so both keep a prefix Datadog stopped publishing for the same time and the
/// prune lands once, whichever runner runs.
/// </summary>
/// <remarks>
/// The clock is faked twice over: runner one's state is moved two hours back (it last saw the prefixes then), and a
/// shorter <c>--keep-removed</c> stands for a later now (a prefix is pruned when its last-seen time plus the keep period
/// is past, so a keep period one hour shorter is the same run one hour later).
/// </remarks>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsCidrGraceTests
{
    [Test]
    public async Task CidrRules_TwoRunnersWithStatesOfTheirOwn_KeepARemovedPrefixForTheSharedTimeAndPruneItOnceWithoutFlapping()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 8600, 0, 8), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        ProcessResult Run(string runner, string keep) => FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            [.. account.Common(runner), "-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", keep]).GetAwaiter().GetResult();
        Assert.That(Run("one", "180m").ExitCode, Is.Zero);
        Backdate(Path.Combine(account.Directory, "one", "aws", account.Name, "state.json"), TimeSpan.FromHours(2));
        string[] before = AwsGroups.Owned(account, group);
        string next = GeneratedDocuments.Write(work, 8601, 3, 8);
        account.Mirror.Serve(next);
        var changes = new ConcurrentQueue<string>();
        account.Proxy.BeforeForward = (action, _) =>
        {
            if (action.StartsWith("AuthorizeSecurityGroup", StringComparison.Ordinal) || action.StartsWith("RevokeSecurityGroup", StringComparison.Ordinal))
            {
                changes.Enqueue(action);
            }

            return Task.FromResult<string?>(null);
        };

        // "one" sees the three go, last seen two hours ago; "two" never saw them published. Kept three hours, then 30 min later.
        foreach ((string runner, string keep) in (ValueTuple<string, string>[])[("one", "180m"), ("two", "180m"), ("one", "180m"), ("two", "150m"), ("one", "150m")])
        {
            ProcessResult run = Run(runner, keep);
            Assert.That(run.ExitCode, Is.Zero, runner + ": " + run.Error);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(before), $"{runner} (keep {keep}) revoked a rule still kept");
        }

        Assert.That(changes, Is.Empty, "the runners changed the rules within the keep period");
        GroupRule[] kept = [.. AwsGroups.Rules(account, group).Where(r => r.Owned && !RuleSet.For(IpRangesDocument.Load(next), ["logs"]).Prefixes
            .Contains(System.Net.IPNetwork.Parse(r.Target)))];

        // An hour and a half later the shared time plus the keep period is past: the first runner prunes, and neither adds them back.
        foreach (string runner in (string[])["two", "one", "two"])
        {
            ProcessResult run = Run(runner, "90m");
            Assert.That(run.ExitCode, Is.Zero, run.Error);
            Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(next), ["logs"]))),
                $"{runner} keeps what the shared time prunes");
        }

        Assert.That(changes, Is.EqualTo((string[])["RevokeSecurityGroupEgress"]), "not one prune: the runners flapped");
        Assert.That(kept, Is.Not.Empty);
        Assert.That(kept.Select(r => r.Description), Has.All.Match(@"^fwrules:\S+ logs @\d+$").And.All.Length.LessThanOrEqualTo(255),
            "the kept rules did not carry when they were last seen");
    }

    /// <summary>Moves every last-seen time of a state file back by <paramref name="by"/>: the runner last ran that long ago.</summary>
    internal static void Backdate(string stateFile, TimeSpan by)
    {
        JsonNode state = JsonNode.Parse(File.ReadAllText(stateFile))!;
        foreach ((_, JsonNode? section) in state["published"]!.AsObject())
        {
            foreach (string prefix in section!.AsObject().Select(p => p.Key).ToList())
            {
                section[prefix] = DateTimeOffset.Parse(section[prefix]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) - by;
            }
        }

        File.WriteAllText(stateFile, state.ToJsonString());
    }
}
