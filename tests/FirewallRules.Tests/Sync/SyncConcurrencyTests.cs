using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// Two and three host syncs on one state directory and one nftables table, interleaved step by step (<see cref="SyncGates"/>): the
/// first sync is held at a step of the schedule (its fetch, its three reads of the kernel, its check, its apply, its read-back), the
/// next one is started then and must wait for <c>sync.lock</c>, and so on; each fetch is served the next newer document (v47, v52,
/// v59 after v46). Proved: no two syncs are ever at a step at once (no lock lets a second writer in), every run succeeds, and the
/// kernel then admits exactly what the oracle says serial runs leave (every version's prefixes, the removed ones kept for the hour's
/// grace: the documents' JSON read into <see cref="AddressSet"/>), with one table and the state recording the last version.
/// </summary>
/// <remarks>
/// CI plays two syncs held at each of the seven steps and three syncs at two schedules drawn from <see cref="DefaultSeed"/>;
/// <c>FWRULES_CONCURRENCY_SEED</c> and <c>FWRULES_CONCURRENCY_SCHEDULES</c> play others.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public sealed class SyncConcurrencyTests
{
    /// <summary>The seed CI draws the three-sync schedules from.</summary>
    public const int DefaultSeed = 20261201;

    /// <summary>A sync's steps through the gates: its fetch, three reads of the kernel, its check, its apply, its read-back.</summary>
    private const int Steps = 7;

    private static readonly int[] Versions = [47, 52, 59];
    private static readonly string[] Sections = ["agents", "logs", "webhooks"];
    private SyncHost? _host;

    private SyncHost Host => _host ?? throw new InvalidOperationException("no host");

    public static IEnumerable<TestCaseData> Schedules()
    {
        for (int step = 0; step < Steps; step++)
        {
            yield return new TestCaseData(2, new[] { step, 0 }).SetArgDisplayNames($"two syncs, the first held at step {step}");
        }

        int seed = Setting("FWRULES_CONCURRENCY_SEED", DefaultSeed);
        var random = new Random(seed);
        for (int i = 0; i < Setting("FWRULES_CONCURRENCY_SCHEDULES", 2); i++)
        {
            int[] holds = [random.Next(Steps), random.Next(Steps), 0];
            yield return new TestCaseData(3, holds).SetArgDisplayNames($"three syncs held at steps {holds[0]} and {holds[1]} (seed {seed})");
        }
    }

    [OneTimeSetUp]
    public async Task StartHost() => _host = await SyncHost.StartAsync(46, "nft", "ip", "stat");

    [OneTimeTearDown]
    public async Task StopHost()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Schedules))]
    public async Task Syncs_OnOneStateAndTable_HeldAtEachStep_RunOneAtATimeAndLeaveExactlyTheSerialOutcome(int syncs, int[] holds)
    {
        SyncHost host = Host;
        Reset(host);
        string[] args = ["sync", .. host.Common, "--format", "nftables", "--keep-removed", "1h", "--retries", "0", .. Sections.SelectMany(s => new[] { "--section", s })];
        (await host.RunAsync(null, args)).Succeeded();
        using var gates = new SyncGates(Path.Combine(host.Directory, $"gates-{Guid.NewGuid():N}"), host.State);
        int served = 0;
        host.Mirror.Always(gates.Fetch(() => File.ReadAllBytes(FetchTesting.Document(Versions[Math.Min(served++, Versions.Length - 1)]))));

        (List<string> overlaps, List<Process> runs) = await PlayAsync(gates, host, args, syncs, holds);
        host.Mirror.ClearFaults();

        string[] failed = [.. runs.Select((r, i) => (r, i)).Where(x => x.r.ExitCode != 0).Select(x => $"sync {x.i + 1}: exit {x.r.ExitCode}: {x.r.StandardError.ReadToEnd()}")];
        runs.ForEach(r => r.Dispose());
        Assert.That(overlaps, Is.Empty, "two syncs were past sync.lock at once");
        Assert.That(failed, Is.Empty, "a sync failed");
        int[] fetched = [46, .. Versions.Take(Math.Min(served, Versions.Length))];
        Assert.That(KernelSets(host), Is.EqualTo(Expected(fetched)), $"the kernel does not hold what serial runs of v{string.Join(", v", fetched)} leave");
        JsonNode state = JsonNode.Parse(File.ReadAllText(Path.Combine(host.State, "state.json")))!;
        Assert.That((long?)state["applied"]?["version"], Is.EqualTo(fetched[^1]), "the state does not record the last version applied");
        Assert.That(host.NftRuleset().Split('\n').Count(l => l.StartsWith("table inet datadog", StringComparison.Ordinal)), Is.EqualTo(1), "one table");
    }

    /// <summary>
    /// Starts the first sync; at each settled moment releases the one step waiting, or, when the sync at it reached its hold, starts the
    /// next sync first. Returns every moment two syncs were at a step at once, and the runs (exited).
    /// </summary>
    private static async Task<(List<string> Overlaps, List<Process> Runs)> PlayAsync(SyncGates gates, SyncHost host, string[] args, int syncs, int[] holds)
    {
        var runs = new List<Process> { gates.Start(host, args) };
        var steps = new Dictionary<int, HashSet<string>>();
        var overlaps = new List<string>();
        var order = new List<string>();
        var clock = Stopwatch.StartNew();
        while (runs.Any(r => !r.HasExited) || runs.Count < syncs)
        {
            if (runs.All(r => r.HasExited))
            {
                // The last sync ended before its hold (fewer steps than drawn): the next one starts now.
                runs.Add(gates.Start(host, args));
                continue;
            }

            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), $"the syncs did not end: {Describe(gates)}");
            IReadOnlyList<(string Id, int? Sync, string Step)> waiting = await SettledAsync(gates, runs);
            if (waiting.Count > 1)
            {
                overlaps.Add(Describe(gates));
                gates.ReleaseAll();
                continue;
            }

            if (waiting.Count == 0)
            {
                continue;
            }

            (string id, int? sync, _) = waiting[0];
            int index = runs.FindIndex(r => r.Id == sync);
            HashSet<string> seen = steps.TryGetValue(sync ?? 0, out HashSet<string>? known) ? known : steps[sync ?? 0] = [];
            seen.Add(id);
            if (runs.Count < syncs && index >= 0 && seen.Count - 1 == holds[index] && runs.Count == index + 1)
            {
                runs.Add(gates.Start(host, args));
                order.Add($"sync {runs.Count} started while sync {index + 1} is held at {waiting[0].Step}");
                await Task.Delay(150);
                continue;
            }

            order.Add($"sync {index + 1}: {waiting[0].Step}");
            gates.Release(id);
        }

        TestContext.Out.WriteLine(string.Join("\n", order));
        return (overlaps, runs);
    }

    /// <summary>
    /// Waits until every live sync is at a gate or waits for the lock another live sync holds, the same for two looks in a row; returns
    /// the gates waiting. A fetch made while no sync held the lock counts for one sync that is neither.
    /// </summary>
    private static async Task<IReadOnlyList<(string Id, int? Sync, string Step)>> SettledAsync(SyncGates gates, List<Process> runs)
    {
        string? last = null;
        while (true)
        {
            await Task.Delay(40);
            IReadOnlyList<(string Id, int? Sync, string Step)> waiting = gates.Waiting();
            int? holder = gates.LockHolder();
            Process[] live = [.. runs.Where(r => !r.HasExited)];
            int unexplained = live.Count(r => !waiting.Any(w => w.Sync == r.Id) && !(holder is int h && h != r.Id && live.Any(l => l.Id == h)));
            string now = string.Join(",", waiting.Select(w => w.Id)) + $"|{holder}|{live.Length}";
            if (live.Length == 0 || (unexplained <= waiting.Count(w => w.Sync is null || live.All(l => l.Id != w.Sync)) && now == last))
            {
                return waiting;
            }

            last = now;
        }
    }

    private static string Describe(SyncGates gates) =>
        $"at steps: {string.Join("; ", gates.Waiting().Select(w => $"sync {w.Sync?.ToString(CultureInfo.InvariantCulture) ?? "(no lock holder)"} at {w.Step}"))}, " +
        $"sync.lock held by {gates.LockHolder()?.ToString(CultureInfo.InvariantCulture) ?? "no one"}";

    // What serial runs of these versions leave, by the oracle: each port and family, every version's prefixes of the sections on that port.
    private static Dictionary<string, AddressSet> Expected(IReadOnlyList<int> versions)
    {
        var expected = new Dictionary<string, AddressSet>(StringComparer.Ordinal);
        foreach (int version in versions)
        {
            JsonObject document = JsonNode.Parse(File.ReadAllText(FetchTesting.Document(version)))!.AsObject();
            foreach (string section in Sections)
            {
                AddressSet published = DatadogTraffic.Addresses(document, section);
                foreach (int port in DatadogTraffic.Ports(section))
                {
                    foreach ((bool v6, string family) in new[] { (false, "v4"), (true, "v6") })
                    {
                        string set = $"{(DatadogTraffic.Egress(section) ? "egress" : "ingress")}-tcp-{port}-{family}";
                        expected[set] = expected.GetValueOrDefault(set, AddressSet.Empty).Union(published.Family(v6));
                    }
                }
            }
        }

        return expected.Where(e => !e.Value.IsEmpty).ToDictionary(StringComparer.Ordinal);
    }

    // Every set of the table, read from nft's JSON into addresses (prefixes, single addresses and ranges alike).
    private static Dictionary<string, AddressSet> KernelSets(SyncHost host)
    {
        using JsonDocument json = JsonDocument.Parse(host.Namespace.Exec("nft", "-j", "list", "table", "inet", "datadog").Succeeded());
        var sets = new Dictionary<string, AddressSet>(StringComparer.Ordinal);
        foreach (JsonElement item in json.RootElement.GetProperty("nftables").EnumerateArray().Where(i => i.TryGetProperty("set", out _)))
        {
            JsonElement set = item.GetProperty("set");
            AddressSet elements = AddressSet.Empty;
            foreach (JsonElement element in set.TryGetProperty("elem", out JsonElement elem) ? elem.EnumerateArray() : default)
            {
                elements = elements.Union(element.ValueKind == JsonValueKind.String ? AddressSet.Of(element.GetString()!)
                    : element.TryGetProperty("prefix", out JsonElement prefix) ? AddressSet.Of($"{prefix.GetProperty("addr").GetString()}/{prefix.GetProperty("len").GetInt32()}")
                    : AddressSet.Range(Address(element.GetProperty("range")[0]), Address(element.GetProperty("range")[1])));
            }

            sets[set.GetProperty("name").GetString()!] = elements;
        }

        return sets;
    }

    private static System.Net.IPAddress Address(JsonElement text) => System.Net.IPAddress.Parse(text.GetString()!);

    // A host as a fresh one: no rules, no state, no cache; the mirror serving v46.
    private static void Reset(SyncHost host)
    {
        host.Namespace.Exec("nft", "flush", "ruleset").Succeeded();
        foreach (string directory in new[] { host.State, host.Cache }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        host.Mirror.ClearFaults();
        host.Mirror.Serve(FetchTesting.Document(46));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
