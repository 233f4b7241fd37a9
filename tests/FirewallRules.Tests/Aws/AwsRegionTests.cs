using System.Xml.Linq;
using FirewallRules.Aws;
using FirewallRules.Cli.Commands;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Which region and account an account sync works in: a region none of the SDK's sources gives is refused before any call,
/// also with <c>AWS_ENDPOINT_URL</c> set (where the SDK alone signs for us-east-1); a region from the profile still works;
/// <c>--region</c> is the region worked in through that endpoint too; a state written for another region is refused; the
/// summary names the region and the account.
/// </summary>
[TestFixture]
[Category("Aws")]
[OwnMotoServer]
public sealed class AwsRegionTests
{
    /// <summary>moto's account, which owns every list it makes.</summary>
    private const string MotoAccount = "123456789012";

    [Test]
    public async Task Sync_NoRegionWithEndpointUrl_RefusesInOneLineAndCreatesNothingInAnyRegion()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));
        Assert.That(Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"), Is.Null,
            "the test run itself names a region");
        Dictionary<string, string> environment = NoRegion(account);

        foreach (string[] args in (string[][])[["-s", "logs", "-q"], ["-s", "logs", "--dry-run"], ["-s", "logs", "--remove"]])
        {
            ProcessResult run = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, [.. account.Common(), .. args]);

            Assert.That(run.ExitCode, Is.EqualTo(1), string.Join(' ', args) + ": " + run.Error);
            Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
            Assert.That(run.Error, Does.Contain("no region: give --region REGION, or set AWS_REGION").And.Contain("the account was left as it was"));
            Assert.That(run.Output, Is.Empty);
        }

        Assert.That(await ListsInEveryRegionAsync(account.Name), Is.Empty, "a refused run made a list");
    }

    [Test]
    public async Task Sync_RegionFromTheProfile_WorksInThatRegion()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));
        string config = Path.Combine(account.Directory, "config");
        await File.WriteAllTextAsync(config,
            "[default]\nregion = eu-west-2\n[profile other]\nregion = ap-southeast-2\naws_access_key_id = testing\naws_secret_access_key = testing\n" +
            "[profile keyless]\nregion = ca-central-1\n");
        Dictionary<string, string> environment = NoRegion(account);
        environment["AWS_CONFIG_FILE"] = config;

        ProcessResult byDefault = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, [.. account.Common("default"), "-s", "logs"]);
        environment["AWS_PROFILE"] = "other";
        ProcessResult byEnvironment = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, [.. account.Common("env"), "-s", "logs"]);
        environment.Remove("AWS_PROFILE");
        ProcessResult byOption = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, [.. account.Common("option"), "-s", "logs", "--profile", "other"]);
        // A profile with a region and no keys: the keys come from the environment, as with AWS_PROFILE.
        ProcessResult keyless = await FwrulesProcess.RunWithEnvironmentAsync(environment, null, [.. account.Common("keyless"), "-s", "logs", "--profile", "keyless"]);

        Assert.That(byDefault.ExitCode, Is.Zero, byDefault.Error);
        Assert.That(byDefault.Output, Does.Contain($"{account.Name} (region eu-west-2, account {MotoAccount})"));
        Assert.That(byEnvironment.ExitCode, Is.Zero, byEnvironment.Error);
        Assert.That(byEnvironment.Output, Does.Contain($"{account.Name} (region ap-southeast-2, account {MotoAccount})"));
        Assert.That(byOption.ExitCode, Is.Zero, byOption.Error);
        Assert.That(byOption.Output, Does.Contain("nothing to do").And.Contain("(region ap-southeast-2, "), "the same region as AWS_PROFILE");
        IReadOnlyList<(string Region, string Name)> lists = await ListsInEveryRegionAsync(account.Name);
        Assert.That(keyless.ExitCode, Is.Zero, keyless.Error);
        Assert.That(keyless.Output, Does.Contain($"{account.Name} (region ca-central-1, account {MotoAccount})"));
        Assert.That(lists.Select(l => l.Region).Distinct(), Is.EquivalentTo(new[] { "eu-west-2", "ap-southeast-2", "ca-central-1" }));
    }

    [Test]
    public async Task Sync_StateWrittenForAnotherRegion_RefusesInOneLineBeforeAnyChange()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));
        ProcessResult first = await account.SyncAsync("-s", "logs");
        Assert.That(first.ExitCode, Is.Zero, first.Error);

        ProcessResult other = await account.SyncAsync("-s", "logs", "--region", "eu-west-1");

        Assert.That(other.ExitCode, Is.EqualTo(1), other.Error);
        Assert.That(other.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(other.Error, Does.Contain($"was written for region us-east-1, account {MotoAccount}, not region eu-west-1: ")
            .And.Contain("give each account and region its own --state").And.Contain("the account was left as it was"));
        Assert.That((await ListsInEveryRegionAsync(account.Name)).Select(l => l.Region).Distinct(), Is.EqualTo(new[] { "us-east-1" }));

        // Its own state: the other region is synced, and each state keeps working for its own region.
        ProcessResult own = await FwrulesProcess.RunWithEnvironmentAsync(account.Proxy.Environment, null, [.. account.Common("eu"), "-s", "logs", "--region", "eu-west-1"]);
        ProcessResult again = await account.SyncAsync("-s", "logs");
        Assert.That(own.ExitCode, Is.Zero, own.Error);
        Assert.That(own.Output, Does.StartWith($"sync: applied ip-ranges version 47 (2022-01-25T20:00:00Z) to the prefix lists {account.Name} " +
            $"(region eu-west-1, account {MotoAccount}): "));
        Assert.That(again.ExitCode, Is.Zero, again.Error);
        Assert.That(again.Output, Does.StartWith($"sync: nothing to do: the prefix lists {account.Name} (region us-east-1, account {MotoAccount}) already hold "));
        Assert.That((await ListsInEveryRegionAsync(account.Name)).Select(l => l.Region).Distinct(), Is.EquivalentTo(new[] { "us-east-1", "eu-west-1" }),
            "--region is the region worked in, also through AWS_ENDPOINT_URL (the SDK signed for us-east-1)");
    }

    [Test]
    public async Task Sync_StateOfAnEarlierRelease_IsAdoptedAndRecordsItsRegion()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));
        ProcessResult first = await account.SyncAsync("-s", "logs");
        string target = AwsStateTarget.PathIn(Path.Combine(account.Directory, "state", "aws", account.Name));
        Assert.That(File.ReadAllText(target), Does.Contain("\"region\": \"us-east-1\"").And.Contain($"\"account\": \"{MotoAccount}\""));
        File.Delete(target);

        ProcessResult adopted = await account.SyncAsync("-s", "logs");

        Assert.That((first.ExitCode, adopted.ExitCode), Is.EqualTo((0, 0)), first.Error + adopted.Error);
        Assert.That(adopted.Output, Does.StartWith("sync: nothing to do: "));
        Assert.That(File.ReadAllText(target), Does.Contain("\"region\": \"us-east-1\""), "the adopted state names its region again");
    }

    [Test]
    public void StateTarget_OtherAccountSameRegion_IsRefusedAndAnUnknownAccountIsNot()
    {
        var target = new AwsStateTarget("us-east-1", "111111111111");

        var refused = Assert.Throws<AwsSyncException>(() => target.Check("/s/aws/n", "us-east-1", "222222222222"));

        Assert.That(refused!.Message, Does.StartWith("the sync state /s/aws/n was written for region us-east-1, account 111111111111, not region us-east-1, " +
            "account 222222222222: "));
        Assert.DoesNotThrow(() => target.Check("/s/aws/n", "us-east-1", account: null), "no list read yet: the region alone is checked");
    }

    [Test]
    public async Task Sync_FirstRunNoListYetWithAStateOfAnotherAccount_RefusedBeforeAnyChangeAsTheNextRunIs()
    {
        // A state copied from another account's runner, before this account holds any list: the first run checks it as the next does.
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));
        string directory = Path.Combine(account.Directory, "state", "aws", account.Name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(AwsStateTarget.PathIn(directory), "{ \"region\": \"us-east-1\", \"account\": \"111111111111\" }\n");

        ProcessResult refused = await account.SyncAsync("-s", "logs");

        Assert.That((refused.ExitCode, refused.Output), Is.EqualTo((1, string.Empty)), refused.Error);
        Assert.That(refused.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), refused.Error);
        Assert.That(refused.Error, Does.Contain($"was written for region us-east-1, account 111111111111, not region us-east-1, account {MotoAccount}: ")
            .And.EndWith("the account was left as it was\n"));
        Assert.That(account.Lists(), Is.Empty, "the first run made lists in another account's name");
        Assert.That(File.ReadAllText(AwsStateTarget.PathIn(directory)), Does.Contain("111111111111"), "the state's account was overwritten");
    }

    [Test]
    public async Task Sync_NoListYetAndTheAccountUnknown_AStateNamingAnAccountIsRefusedAndANewStateIsNot()
    {
        await using AwsAccount account = await AwsAccount.StartAsync(FetchTesting.Document(47));
        account.Proxy.BeforeForward = (action, _) => Task.FromResult(action == "GetCallerIdentity" ? "AccessDenied" : null);
        string directory = Path.Combine(account.Directory, "state", "aws", account.Name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(AwsStateTarget.PathIn(directory), $"{{ \"region\": \"us-east-1\", \"account\": \"{MotoAccount}\" }}\n");

        ProcessResult refused = await account.SyncAsync("-s", "logs");
        File.Delete(AwsStateTarget.PathIn(directory));
        ProcessResult fresh = await account.SyncAsync("-s", "logs");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Error);
        Assert.That(refused.Error, Does.Contain($"was written for region us-east-1, account {MotoAccount}, and this run found no prefix list to learn its own account from " +
            "(STS GetCallerIdentity").And.Contain("AccessDenied").And.EndWith("the account was left as it was\n"));
        Assert.That(fresh.ExitCode, Is.Zero, fresh.Error);
        Assert.That(fresh.Output, Does.Contain($"(region us-east-1, account {MotoAccount})"), "the account of the list it made");
    }

    /// <summary>The proxy's environment with no region at all, and <c>AWS_ENDPOINT_URL</c> still set.</summary>
    private static Dictionary<string, string> NoRegion(AwsAccount account)
    {
        Dictionary<string, string> environment = account.Proxy.Environment;
        environment.Remove("AWS_REGION");
        environment.Remove("AWS_DEFAULT_REGION");
        Assert.That(environment, Does.ContainKey("AWS_ENDPOINT_URL"));
        return environment;
    }

    /// <summary>Every prefix list whose name starts with <paramref name="name"/>, in every region moto knows, read from moto directly.</summary>
    private static async Task<IReadOnlyList<(string Region, string Name)>> ListsInEveryRegionAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = MotoServer.Current.Endpoint, Timeout = TimeSpan.FromSeconds(60) };
        XElement regions = await Ec2Async(http, "us-east-1", "DescribeRegions", ("AllRegions", "true"));
        string[] names = [.. regions.Descendants().Where(e => e.Name.LocalName == "regionName").Select(e => e.Value)];
        Assert.That(names, Has.Length.GreaterThan(10).And.Contains("eu-west-1"));
        var found = new List<(string Region, string Name)>();
        foreach (string region in names)
        {
            XElement lists = await Ec2Async(http, region, "DescribeManagedPrefixLists");
            found.AddRange(lists.Descendants().Where(e => e.Name.LocalName == "prefixListName" && e.Value.StartsWith(name, StringComparison.Ordinal))
                .Select(e => (region, e.Value)));
        }

        return found;
    }

    private static async Task<XElement> Ec2Async(HttpClient http, string region, string action, params (string Name, string Value)[] parameters)
    {
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", "2016-11-15"), .. parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
        // moto takes the region from the credential scope of the signature, which it does not check.
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=testing/20240101/{region}/ec2/aws4_request, SignedHeaders=host, Signature=0");
        using HttpResponseMessage response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"moto {action} in {region}: {body}");
        return XElement.Parse(body);
    }
}
