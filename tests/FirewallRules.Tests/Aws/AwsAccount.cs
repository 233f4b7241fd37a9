using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// An account to sync: moto behind <see cref="MotoPrefixListProxy"/>, a Kestrel mirror serving the document of the
/// moment, cache and state directories, and a name of its own (moto's prefix lists are shared by every test). Runs the
/// real <c>fwrules</c> and reads the account back with the AWS SDK.
/// </summary>
internal sealed class AwsAccount : IAsyncDisposable
{
    private AwsAccount(MotoPrefixListProxy proxy, IpRangesServer mirror, string directory)
    {
        Proxy = proxy;
        Mirror = mirror;
        Directory = directory;
    }

    private AmazonEC2Client? _ec2;

    public MotoPrefixListProxy Proxy { get; }

    public IpRangesServer Mirror { get; }

    public string Directory { get; }

    /// <summary>The --name every run uses: unique per test.</summary>
    public string Name { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The format every run syncs: aws-prefix-list, or aws-sg.</summary>
    public string Format { get; private init; } = "aws-prefix-list";

    public static async Task<AwsAccount> StartAsync(string documentPath, string format = "aws-prefix-list")
    {
        MotoPrefixListProxy proxy = await MotoPrefixListProxy.StartAsync();
        IpRangesServer mirror = await IpRangesServer.StartAsync(documentPath);
        return new AwsAccount(proxy, mirror, System.IO.Directory.CreateTempSubdirectory("fwrules-aws-").FullName) { Format = format };
    }

    /// <summary>The arguments of a run: the mirror, the cache, a state directory (another for a second "machine") and the name.</summary>
    public string[] Common(string state = "state") =>
        ["sync", "-f", Format, "--base-url", Mirror.BaseUri.AbsoluteUri, "--allow-http", "--cache", Cache("cache-" + state),
            "--state", Path.Combine(Directory, state), "--name", Name];

    /// <summary>
    /// A cache directory of this account that holds, vetted, the document the mirror serves when it is first asked for (as
    /// <c>fwrules fetch --force</c> leaves it): the generated versions are far past the snapshot the library ships, which a
    /// first fetch into an empty cache refuses as a jump.
    /// </summary>
    public string Cache(string name)
    {
        string cache = Path.Combine(Directory, name);
        if (!System.IO.Directory.Exists(cache))
        {
            Seed(cache, Mirror.BaseUri);
        }

        return cache;
    }

    /// <summary>Stores in <paramref name="cache"/>, vetted, the document <paramref name="mirror"/> serves now (for a runner with a mirror of its own).</summary>
    public static void Seed(string cache, Uri mirror)
    {
        using var http = new HttpClient();
        var client = new IpRangesClient(http);
        new FirewallRules.Fetching.SnapshotStore(cache).UpdateAsync(client, Site.Custom(mirror), force: true).GetAwaiter().GetResult();
    }

    /// <summary>Runs <c>fwrules sync -f FORMAT ARGS</c> against the proxy.</summary>
    public Task<ProcessResult> SyncAsync(params string[] args) =>
        FwrulesProcess.RunWithEnvironmentAsync(Proxy.Environment, null, [.. Common(), .. args]);

    /// <summary>
    /// An EC2 client of the AWS SDK for this account's moto, through the proxy: the tests read the account back with it
    /// in-process (the AWS CLI starts a Python process per call, seconds each on a busy machine;
    /// <c>AwsReadBackTests</c> shows both read the same account).
    /// </summary>
    public AmazonEC2Client Ec2 => _ec2 ??= new AmazonEC2Client(new BasicAWSCredentials("testing", "testing"),
        new AmazonEC2Config { ServiceURL = Proxy.Endpoint.AbsoluteUri, AuthenticationRegion = "us-east-1" });

    /// <summary>The lists fwrules owns under <see cref="Name"/>, read back with the SDK: name, id, version, size, tags and entries.</summary>
    public IReadOnlyList<ListState> Lists() => ListsAsync().GetAwaiter().GetResult();

    /// <summary>The lists fwrules owns under <see cref="Name"/>, read back with the SDK.</summary>
    public async Task<IReadOnlyList<ListState>> ListsAsync() =>
        [.. (await EveryListAsync()).Where(l => l.Tags.GetValueOrDefault("fwrules:name") == Name).OrderBy(l => l.Name, StringComparer.Ordinal)];

    /// <summary>Every prefix list of the account that is not deleted, whoever owns it (moto's are shared by every test of a server), read back with the SDK.</summary>
    public async Task<IReadOnlyList<ListState>> EveryListAsync()
    {
        var found = new List<ListState>();
        string? token = null;
        do
        {
            DescribeManagedPrefixListsResponse page = await Ec2.DescribeManagedPrefixListsAsync(new() { NextToken = token });
            foreach (ManagedPrefixList list in (page.PrefixLists ?? []).Where(l => l.State?.Value.StartsWith("delete", StringComparison.Ordinal) != true))
            {
                Dictionary<string, string> tags = (list.Tags ?? []).GroupBy(tag => tag.Key).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
                found.Add(new ListState(list.PrefixListName, list.PrefixListId, list.AddressFamily, list.Version ?? 0, list.MaxEntries ?? 0, tags,
                    await EntriesAsync(list.PrefixListId)));
            }

            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return found;
    }

    private async Task<IReadOnlyList<IPNetwork>> EntriesAsync(string id)
    {
        var entries = new List<IPNetwork>();
        string? token = null;
        do
        {
            GetManagedPrefixListEntriesResponse page = await Ec2.GetManagedPrefixListEntriesAsync(new() { PrefixListId = id, NextToken = token });
            entries.AddRange((page.Entries ?? []).Select(e => IPNetwork.Parse(e.Cidr)));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return entries;
    }

    /// <summary>Every entry of the lists of one family (names ending -ipv4 or -ipv4-N).</summary>
    public static PrefixSet Entries(IReadOnlyList<ListState> lists, string family) =>
        PrefixSet.Create(lists.Where(l => l.Tags["fwrules:family"] == family).SelectMany(l => l.Entries));

    public async ValueTask DisposeAsync()
    {
        _ec2?.Dispose();
        await Proxy.DisposeAsync();
        await Mirror.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Runs <c>aws ec2 ARGS --output json</c> against this account and returns what it printed.</summary>
    public string Aws(params string[] args)
    {
        ToolResult result = ExternalTool.Run(ExternalTool.Command("aws"), ["ec2", .. args, "--output", "json"], Proxy.Environment);
        Assert.That(result.ExitCode, Is.Zero, $"aws ec2 {string.Join(' ', args)}: {result.Error}");
        return result.Output;
    }
}

/// <summary>One prefix list as read back from the account (its address family as AWS names it: IPv4 or IPv6).</summary>
internal sealed record ListState(string Name, string Id, string AddressFamily, long Version, int MaxEntries, Dictionary<string, string> Tags, IReadOnlyList<IPNetwork> Entries);
