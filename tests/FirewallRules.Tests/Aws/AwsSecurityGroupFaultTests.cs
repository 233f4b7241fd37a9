using System.Diagnostics;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// aws-sg when a call fails part-way or the run is killed (the proxy answers an authorize or a revoke with an error, whole,
/// as AWS fails a call), and bad input: each leaves every group with its old rules, or its old and new ones, never fewer.
/// Generated documents (logs only, as CIDR rules) make the changes.
/// </summary>
[TestFixture]
[Category("Aws")]
[Emitters.OwnMotoServer]
public sealed class AwsSecurityGroupFaultTests
{
    [Test]
    public async Task CallFailsPartWay_GroupHoldsItsOldRulesOrOldAndNewAndTheRunExits1_NextRunConverges()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 5000, 0, 5), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);
        string[] old = AwsGroups.Owned(account, group);
        account.Mirror.Serve(GeneratedDocuments.Write(work, 5001, 3, 8));
        string[] wanted = Expected(GeneratedDocuments.Write(work, 5001, 3, 8));
        Assert.That(old.Except(wanted), Is.Not.Empty, "the change removes nothing");

        // The authorize fails: nothing was added, nothing revoked.
        account.Proxy.BeforeForward = (action, _) => Task.FromResult(action == "AuthorizeSecurityGroupEgress" ? "UnauthorizedOperation" : null);
        ProcessResult authorize = await account.SyncAsync(common);
        Assert.That(authorize.ExitCode, Is.EqualTo(1), authorize.Output);
        Assert.That(authorize.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.Contains($"security group {group} holds its old rules"));
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(old));

        // The revoke fails after the authorize: the group holds both, so nothing still wanted was ever cut.
        account.Proxy.BeforeForward = (action, _) => Task.FromResult(action == "RevokeSecurityGroupEgress" ? "UnauthorizedOperation" : null);
        ProcessResult revoke = await account.SyncAsync(common);
        Assert.That(revoke.ExitCode, Is.EqualTo(1), revoke.Output);
        Assert.That(revoke.Error.Trim().Split('\n'), Has.Length.EqualTo(1).And.All.Contains("its old rules and the new ones"));
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(old.Union(wanted).Order(StringComparer.Ordinal)));

        account.Proxy.BeforeForward = null;
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);
        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(wanted));
        Assert.That(AwsGroups.Rules(account, group), Does.Contain(AwsGroups.Foreign));
    }

    [Test]
    public async Task KilledBetweenAuthorizeAndRevoke_GroupHoldsOldAndNew_NextRunConverges()
    {
        using var documents = new TempFiles();
        string work = documents.DirectoryPath;
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(work, 6000, 0, 5), "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        string[] common = ["-s", "logs", "--group-id", group, "--cidr-rules", "--keep-removed", "0s"];
        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);
        string[] old = AwsGroups.Owned(account, group);
        string next = GeneratedDocuments.Write(work, 6001, 3, 8);
        account.Mirror.Serve(next);
        var arrived = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        account.Proxy.BeforeForward = async (action, _) =>
        {
            if (action != "RevokeSecurityGroupEgress")
            {
                return null;
            }

            arrived.TrySetResult();
            await release.Task;
            return "RequestExpired";
        };
        using Process sync = AwsPrefixListFaultTests.Start(account, [.. account.Common(), .. common]);
        await arrived.Task.WaitAsync(TimeSpan.FromMinutes(2));
        sync.Kill();
        await sync.WaitForExitAsync();
        release.SetResult();
        account.Proxy.BeforeForward = null;
        Assert.That(AwsGroups.Owned(account, group), Is.SupersetOf(old), "a rule still wanted was cut before the kill");

        await AwsSecurityGroupSyncTests.SucceedsAsync(account, common);

        Assert.That(AwsGroups.Owned(account, group), Is.EqualTo(Expected(next)));
        Assert.That(AwsGroups.Rules(account, group), Does.Contain(AwsGroups.Foreign));
    }

    [Test]
    public async Task BadInput_OneLineAndNothingChanged()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[^1], "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        IReadOnlyList<GroupRule> before = AwsGroups.Rules(account, group);

        // An id AWS does not know here (another region or account, or a typo), given with a real one: refused before any change.
        await RefusedAsync(account, 1, "sg-0123456789abcdef0", "-s", "logs", "--group-id", group, "--group-id", "sg-0123456789abcdef0");
        await RefusedAsync(account, 2, "not a security group id", "-s", "logs", "--group-id", "sg-nothex");
        await RefusedAsync(account, 1, "no security group to keep: none was given", "-s", "logs");
        // Referencing lists costs their MaxEntries per port: over AWS's default quota of 60 the run is refused up front.
        await RefusedAsync(account, 1, "over the rules-per-group quota of 2", "-s", "logs", "--group-id", group, "--rules-per-group", "2");
        ProcessResult wrongFormat = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null,
            [.. account.Common().Select(a => a == "aws-sg" ? "aws-prefix-list" : a), "--group-id", group]);
        Assert.That(wrongFormat.ExitCode, Is.EqualTo(2), wrongFormat.Error);
        Assert.That(wrongFormat.Error, Does.Contain("--group-id is for -f aws-sg"));

        foreach (string unset in (string[])["AWS_REGION", "AWS_ACCESS_KEY_ID"])
        {
            Dictionary<string, string> environment = account.Proxy.Environment;
            environment.Remove(unset);
            environment.Remove(unset == "AWS_REGION" ? "AWS_DEFAULT_REGION" : "AWS_SECRET_ACCESS_KEY");
            // AWS_ENDPOINT_URL stays: with it the SDK alone would sign for us-east-1 and work there, unasked.
            ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, [.. account.Common(), "-s", "logs", "--group-id", group]);
            Assert.That(run.ExitCode, unset == "AWS_REGION" ? Is.EqualTo(1) : Is.AnyOf(1, 2), unset + ": " + run.Error);
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), unset);
        }

        Assert.That(AwsGroups.Rules(account, group), Is.EquivalentTo(before));
        Assert.That(account.Lists(), Is.Empty, "a prefix list was made by a refused run");
    }

    private static async Task RefusedAsync(AwsAccount account, int exitCode, string says, params string[] args)
    {
        ProcessResult run = await account.SyncAsync(args);
        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.Error + run.Output);
        Assert.That(run.Error.Trim().Split('\n')[0], Does.Contain(says));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.LessThanOrEqualTo(2), "more than the line and the usage hint");
    }

    private static string[] Expected(string document) => AwsSecurityGroupSyncTests.Cidrs(RuleSet.For(IpRangesDocument.Load(document), ["logs"]));
}
