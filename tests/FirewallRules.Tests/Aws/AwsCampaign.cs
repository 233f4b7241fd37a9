using System.Globalization;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using FirewallRules.Tests.Cli;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// A randomized fault campaign on one account: each run syncs the next document (the real ones of data/, then generated
/// ones that force splits) with <c>-f aws-sg</c> through <see cref="MotoPrefixListProxy"/>, under one fault chosen by the
/// seed: none, an error on a call, slow calls, a hand edit (a version conflict), SIGTERM, SIGINT or kill -9 at a random
/// call, or two runners at once. After every run the account is read back and checked, then a clean run must converge.
/// A long run draws each run's fault at random; the CI run deals them from a shuffled deck holding every fault the same
/// number of times, so a short run still plays each one several times.
/// </summary>
internal sealed class AwsCampaign : IDisposable
{
    /// <summary>Every fault a run can play.</summary>
    public static readonly string[] Faults = ["none", "error", "slow", "conflict", "term", "int", "kill", "two"];
    private readonly AwsAccount _account;
    private readonly string _group;
    private readonly Random _random;
    private readonly TextWriter _log;
    private readonly AmazonEC2Client _ec2;
    private readonly string _work;
    private readonly List<string> _violations = [];
    private readonly Dictionary<string, int> _faults = [];
    private readonly string[]? _deck;
    private readonly Dictionary<int, int> _exits = [];
    private int _calls;
    private int _trigger;
    private Func<int, Task<string?>>? _atCall;
    private bool _slow;
    private bool _conflict;

    private AwsCampaign(AwsAccount account, string group, int seed, TextWriter log, string work, int? dealt)
    {
        (_account, _group, _random, _log, _work) = (account, group, new Random(seed), log, work);
        if (dealt is { } runs)
        {
            _deck = [.. Enumerable.Repeat(Faults, (runs + Faults.Length - 1) / Faults.Length).SelectMany(f => f)];
            _random.Shuffle(_deck);
        }

        _ec2 = new AmazonEC2Client(new BasicAWSCredentials("testing", "testing"),
            new AmazonEC2Config { ServiceURL = account.Proxy.Endpoint.AbsoluteUri, AuthenticationRegion = "us-east-1" });
        account.Proxy.BeforeModify = ModifyAsync;
        account.Proxy.BeforeForward = (_, _) => CountAsync();
    }

    /// <summary>
    /// Runs <paramref name="runs"/> runs from <paramref name="seed"/>, each fault drawn at random, or dealt from a shuffled deck
    /// holding each fault equally often when <paramref name="dealt"/>; returns the violations (empty when every check held)
    /// and how many runs played each fault.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Violations, IReadOnlyDictionary<string, int> Faults)> RunAsync(int seed, int runs, TextWriter log,
        bool dealt = false)
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[0], "aws-sg");
        (_, string group) = AwsGroups.Create(account);
        using var campaign = new AwsCampaign(account, group, seed, log, documents.DirectoryPath, dealt ? runs : null);
        DateTime start = DateTime.UtcNow;
        await campaign.RunAllAsync(runs);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"campaign seed={seed} runs={runs} seconds={(DateTime.UtcNow - start).TotalSeconds:F0} violations={campaign._violations.Count} " +
                $"faults={string.Join(',', campaign._faults.OrderBy(f => f.Key).Select(f => $"{f.Key}:{f.Value}"))} " +
                $"exits={string.Join(',', campaign._exits.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}"))}"));
        return (campaign._violations, campaign._faults);
    }

    public void Dispose() => _ec2.Dispose();

    private async Task RunAllAsync(int runs)
    {
        int real = Math.Min(TestData.IpRangesDocuments.Count, Math.Max(2, runs / 5));
        PrefixSet published = PrefixSet.Empty;
        (int From, int To) window = (0, 150);
        for (int run = 0; run < runs; run++)
        {
            // The real documents under one name, then generated ones (logs IPv4 /32s, 100 a list) under another.
            string phase = run < real ? "r" : "g";
            string document = run < real ? TestData.IpRangesDocuments[run] : Generated(run, ref window);
            PrefixSet next = RuleSet.For(IpRangesDocument.Load(document), ["logs"]).Prefixes;
            _account.Mirror.Serve(document);
            if (run == real)
            {
                // The real documents' lists and rules go (as a user leaving them would), so the group's references are the generated ones'.
                ProcessResult removed = await FwrulesProcess.RunWithEnvironmentAsync(_account.Proxy.Environment, null, [.. Arguments("one", "r"), "--remove"]);
                Assert.That(removed.ExitCode, Is.Zero, removed.Error);
                published = PrefixSet.Empty;
            }

            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            string fault = _deck?[run] ?? Faults[_random.Next(Faults.Length)];
            _faults[fault] = _faults.GetValueOrDefault(fault) + 1;
            int[] exits = await RunWithFaultAsync(phase, fault);
            await CheckAsync($"run {run} ({phase}, {fault}, exit {string.Join('/', exits)})", phase, published, next, exits.All(e => e == 0));
            ProcessResult converge = await SyncAsync("one", phase);
            Record(converge.ExitCode);
            if (converge.ExitCode != 0)
            {
                _violations.Add($"run {run}: the next run did not converge (exit {converge.ExitCode}): {converge.Error.Trim()}");
            }

            await CheckAsync($"run {run} converged", phase, next, next, exact: true);
            _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run} {phase} {fault} exits={string.Join('/', exits)} violations={_violations.Count} " +
                $"seconds={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1}"));
            published = next;
        }
    }

    private string Generated(int run, ref (int From, int To) window)
    {
        // A window that moves and grows or shrinks, losing at most two fifths of its addresses (a fifth at each end): the
        // store refuses a section losing half its addresses, which a third off the start and a quarter off the end did.
        int size = window.To - window.From;
        int from = window.From + _random.Next(0, (size / 5) + 1);
        int to = Math.Clamp(window.To + _random.Next(-(size / 5), (size / 2) + 20), from + 20, from + 420);
        window = (from, to);
        return GeneratedDocuments.Write(_work, 9000 + run, from, to);
    }

    private async Task<int[]> RunWithFaultAsync(string phase, string fault)
    {
        _calls = 0;
        _trigger = _random.Next(1, 25);
        if (fault == "two")
        {
            ProcessResult[] both = await Task.WhenAll(SyncAsync("one", phase), SyncAsync("two", phase));
            return [.. both.Select(r => Checked(r, 0, 1))];
        }

        var started = new TaskCompletionSource<SyncProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        _atCall = fault switch
        {
            "error" => call => Task.FromResult<string?>(call == _trigger ? "InternalError" : null),
            "term" or "int" or "kill" => async call =>
            {
                if (call == _trigger)
                {
                    (await started.Task).Signal(fault.ToUpperInvariant());
                }

                return null;
            },
            _ => null,
        };
        (_slow, _conflict) = (fault == "slow", fault == "conflict");
        using SyncProcess sync = SyncProcess.Start(_account, Arguments("one", phase));
        started.SetResult(sync);
        ProcessResult result = await sync.WaitAsync(TimeSpan.FromMinutes(3));
        (_slow, _conflict, _atCall) = (false, false, null);
        return [Checked(result, fault switch { "term" => 143, "int" => 130, "kill" => 137, _ => 0 }, 1)];
    }

    private async Task<string?> ModifyAsync(ModifyCall call)
    {
        if (_conflict && call.Add.Length + call.Remove.Length > 0)
        {
            // Someone else changes the list between the run's read and its write: the version check refuses the write.
            _conflict = false;
            await _account.Proxy.HandEditAsync(call.Id, call.Name, string.Create(CultureInfo.InvariantCulture, $"192.0.2.{Random.Shared.Next(256)}/32"));
        }

        return await CountAsync();
    }

    private async Task<string?> CountAsync()
    {
        int call = Interlocked.Increment(ref _calls);
        if (_slow)
        {
            await Task.Delay(Random.Shared.Next(0, 300));
        }

        return _atCall is { } atCall ? await atCall(call) : null;
    }

    /// <summary>The exit code, checked: one the fault allows, and never a crash or a stack trace.</summary>
    private int Checked(ProcessResult result, params int[] allowed)
    {
        Record(result.ExitCode);
        if (!allowed.Contains(result.ExitCode) && result.ExitCode is not (0 or 1 or 3))
        {
            _violations.Add($"exit {result.ExitCode}: {result.Error.Trim()}");
        }

        if (result.Error.Contains("   at ", StringComparison.Ordinal) || result.Error.Contains("Unhandled", StringComparison.Ordinal))
        {
            _violations.Add($"a stack trace: {result.Error}");
        }

        return result.ExitCode;
    }

    private void Record(int exit) => _exits[exit] = _exits.GetValueOrDefault(exit) + 1;

    private Task<ProcessResult> SyncAsync(string runner, string phase) =>
        FwrulesProcess.RunWithEnvironmentAsync(_account.Proxy.Environment, null, Arguments(runner, phase));

    private string[] Arguments(string runner, string phase) =>
        ["sync", "-f", "aws-sg", "--base-url", _account.Mirror.BaseUri.AbsoluteUri, "--allow-http", "--cache", _account.Cache($"cache-{runner}-{phase}"),
            "--state", Path.Combine(_account.Directory, $"{runner}-{phase}"), "--name", $"{_account.Name}-{phase}", "-s", "logs", "--group-id", _group,
            "--rules-per-group", "1000", "--max-entries", "100", "--keep-removed", "0s", "--lock-wait", "5s"];

    /// <summary>
    /// The lists hold everything both documents publish and nothing neither does (hand edits aside: the next run removes
    /// them), exactly the new document when <paramref name="exact"/>; the group allows every prefix both publish through a
    /// list it references on each port, and references exactly the lists when <paramref name="exact"/>.
    /// </summary>
    private async Task CheckAsync(string what, string phase, PrefixSet before, PrefixSet after, bool exact)
    {
        List<(string Id, PrefixSet Entries)> lists = await ListsAsync($"{_account.Name}-{phase}");
        PrefixSet held = PrefixSet.Create(lists.SelectMany(l => l.Entries).Where(e => !HandEdit(e)));
        PrefixSet both = before.Intersect(after);
        if (both.Except(held).Count > 0)
        {
            _violations.Add($"{what}: a published prefix is missing from the lists: {both.Except(held).First()}");
        }

        if (exact ? !held.SequenceEqual(after) : held.Except(before.Union(after)).Count > 0)
        {
            _violations.Add($"{what}: the lists hold neither the old document nor the new (held {held.Count}, old {before.Count}, new {after.Count})");
        }

        HashSet<string> referenced = await ReferencesAsync();
        foreach (int port in (int[])[443, 10516])
        {
            if (both.Any(p => !lists.Any(l => l.Entries.Contains(p) && referenced.Contains($"{port} {l.Id}"))))
            {
                _violations.Add($"{what}: the group does not allow a published prefix on {port}");
            }

            if (exact && lists.Any(l => !referenced.Contains($"{port} {l.Id}")))
            {
                _violations.Add($"{what}: the group does not reference every list on {port}");
            }
        }

        if (exact && referenced.Count != 2 * lists.Count)
        {
            _violations.Add($"{what}: the group references {referenced.Count} lists and ports, not {2 * lists.Count}");
        }
    }

    private static bool HandEdit(IPNetwork prefix) => prefix.BaseAddress.ToString().StartsWith("192.0.2.", StringComparison.Ordinal);

    private async Task<List<(string Id, PrefixSet Entries)>> ListsAsync(string name)
    {
        var lists = new List<(string Id, PrefixSet Entries)>();
        DescribeManagedPrefixListsResponse all = await _ec2.DescribeManagedPrefixListsAsync(new());
        foreach (ManagedPrefixList list in (all.PrefixLists ?? []).Where(l => l.Tags?.Any(t => t.Key == "fwrules:name" && t.Value == name) == true
            && l.State?.Value.StartsWith("delete", StringComparison.Ordinal) != true))
        {
            var entries = new List<IPNetwork>();
            string? token = null;
            do
            {
                GetManagedPrefixListEntriesResponse page =
                    await _ec2.GetManagedPrefixListEntriesAsync(new() { PrefixListId = list.PrefixListId, MaxResults = 100, NextToken = token });
                entries.AddRange((page.Entries ?? []).Select(e => IPNetwork.Parse(e.Cidr)));
                token = page.NextToken;
            }
            while (!string.IsNullOrEmpty(token));

            lists.Add((list.PrefixListId, PrefixSet.Create(entries)));
        }

        return lists;
    }

    /// <summary>The group's owned egress rules that reference a list, as "PORT LIST-ID".</summary>
    private async Task<HashSet<string>> ReferencesAsync()
    {
        DescribeSecurityGroupRulesResponse rules = await _ec2.DescribeSecurityGroupRulesAsync(new() { Filters = [new Amazon.EC2.Model.Filter("group-id", [_group])] });
        return [.. (rules.SecurityGroupRules ?? []).Where(r => r.PrefixListId is not null && r.IsEgress == true).Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"{r.FromPort} {r.PrefixListId}"))];
    }
}
