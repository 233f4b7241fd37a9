using System.Net;
using System.Text.Json;
using FirewallRules.Tests.Cli;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// An account to sync: moto behind <see cref="MotoPrefixListProxy"/>, a Kestrel mirror serving the document of the
/// moment, cache and state directories, and a name of its own (moto's prefix lists are shared by every test). Runs the
/// real <c>fwrules</c> and reads the account back with the real AWS CLI.
/// </summary>
internal sealed class AwsAccount : IAsyncDisposable
{
    private AwsAccount(MotoPrefixListProxy proxy, IpRangesServer mirror, string directory)
    {
        Proxy = proxy;
        Mirror = mirror;
        Directory = directory;
    }

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

    /// <summary>The lists fwrules owns under <see cref="Name"/>, as the AWS CLI reads them: name, id, version, size and entries.</summary>
    public IReadOnlyList<ListState> Lists()
    {
        using JsonDocument lists = JsonDocument.Parse(Aws("describe-managed-prefix-lists"));
        var found = new List<ListState>();
        foreach (JsonElement list in lists.RootElement.GetProperty("PrefixLists").EnumerateArray())
        {
            Dictionary<string, string> tags = list.TryGetProperty("Tags", out JsonElement t)
                ? t.EnumerateArray().ToDictionary(tag => tag.GetProperty("Key").GetString()!, tag => tag.GetProperty("Value").GetString()!)
                : [];
            if (tags.GetValueOrDefault("fwrules:name") != Name || list.GetProperty("State").GetString()!.StartsWith("delete", StringComparison.Ordinal))
            {
                continue;
            }

            string id = list.GetProperty("PrefixListId").GetString()!;
            using JsonDocument entries = JsonDocument.Parse(Aws("get-managed-prefix-list-entries", "--prefix-list-id", id));
            found.Add(new ListState(
                list.GetProperty("PrefixListName").GetString()!,
                id,
                list.GetProperty("Version").GetInt64(),
                list.GetProperty("MaxEntries").GetInt32(),
                tags,
                [.. entries.RootElement.GetProperty("Entries").EnumerateArray().Select(e => IPNetwork.Parse(e.GetProperty("Cidr").GetString()!))]));
        }

        return [.. found.OrderBy(l => l.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every entry of the lists of one family (names ending -ipv4 or -ipv4-N).</summary>
    public static PrefixSet Entries(IReadOnlyList<ListState> lists, string family) =>
        PrefixSet.Create(lists.Where(l => l.Tags["fwrules:family"] == family).SelectMany(l => l.Entries));

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Mirror.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public string Aws(params string[] args)
    {
        ToolResult result = ExternalTool.Run(ExternalTool.Command("aws"), ["ec2", .. args, "--output", "json"], Proxy.Environment);
        Assert.That(result.ExitCode, Is.Zero, $"aws ec2 {string.Join(' ', args)}: {result.Error}");
        return result.Output;
    }
}

/// <summary>One prefix list as the AWS CLI read it.</summary>
internal sealed record ListState(string Name, string Id, long Version, int MaxEntries, Dictionary<string, string> Tags, IReadOnlyList<IPNetwork> Entries);
