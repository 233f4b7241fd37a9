using System.Globalization;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// A randomized fault campaign on one account (one moto behind <see cref="MotoPrefixListProxy"/>, the loopback fault proxy that
/// answers version checks and restores as AWS does, which moto 5.2.1 does not). The seed draws two or three lanes
/// (<see cref="AwsCampaignLane"/>: aws-sg and aws-prefix-list both, IPv6 in one at least, sections, entries per list, keep periods
/// with at least one lane keeping removed prefixes), then each run: the lane, its next document (version gap, which prefixes
/// come and go), the fault, which runner (two state directories: two machines) runs it and which converges, the call a fault
/// lands on, the signal's delay, how long a modify is held in flight, the error code. Faults: none, an error on a call, slow
/// calls, a hand edit (a version conflict), SIGTERM, SIGINT or kill -9 after a call, SIGTERM while a modify is held in flight,
/// and two runners made to overlap (neither writes before both have read). After every run the account is read back and
/// checked list by list (<see cref="AwsCampaignChecks"/>), and again after a clean run that must converge. A violation names
/// the seed, the run and the lane; the campaign stops at the first failing run and ends with the command that replays it.
/// </summary>
internal sealed class AwsCampaign
{
    /// <summary>Every fault a run can play.</summary>
    public static readonly string[] Faults = ["none", "error", "slow", "conflict", "term", "int", "kill", "inflight", "two"];

    private readonly AwsAccount _account;
    private readonly List<AwsCampaignLane> _lanes = [];
    private readonly Random _random;
    private readonly int _seed;
    private readonly TextWriter _log;
    private readonly string _work;
    private readonly List<string> _violations = [];
    private readonly AwsCampaignChecks _checks;
    private readonly Dictionary<string, int> _faults = [];
    private readonly Dictionary<int, int> _exits = [];
    private readonly string[]? _deck;
    private readonly AwsCampaignFaults _play;
    private List<CampaignList> _foreign = [];

    private AwsCampaign(AwsAccount account, int seed, TextWriter log, string work, int? dealt)
    {
        (_account, _seed, _random, _log, _work) = (account, seed, new Random(seed), log, work);
        _checks = new AwsCampaignChecks(_violations);
        if (dealt is { } runs)
        {
            _deck = [.. Enumerable.Repeat(Faults, (runs + Faults.Length - 1) / Faults.Length).SelectMany(f => f)];
            _random.Shuffle(_deck);
        }

        _play = new AwsCampaignFaults(account);
    }

    /// <summary>
    /// Runs <paramref name="runs"/> runs from <paramref name="seed"/> (the first <paramref name="until"/> + 1 only, when given: a
    /// replay), each fault drawn at random, or dealt from a shuffled deck holding each fault equally often when <paramref name="dealt"/>;
    /// returns the violations (empty when every check held) and how many runs played each fault.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Violations, IReadOnlyDictionary<string, int> Faults)> RunAsync(int seed, int runs, TextWriter log,
        bool dealt = false, int? until = null)
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(TestData.IpRangesDocuments[^1], "aws-sg");
        var campaign = new AwsCampaign(account, seed, log, documents.DirectoryPath, dealt ? runs : null);
        DateTime start = DateTime.UtcNow;
        try
        {
            await campaign.DrawLanesAsync(runs);
            await campaign.RunAllAsync(runs, until, dealt);
        }
        finally
        {
            foreach (AwsCampaignLane lane in campaign._lanes)
            {
                await lane.Mirror.DisposeAsync();
            }
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"campaign seed={seed} runs={runs} seconds={(DateTime.UtcNow - start).TotalSeconds:F0} violations={campaign._violations.Count} " +
                $"faults={string.Join(',', campaign._faults.OrderBy(f => f.Key).Select(f => $"{f.Key}:{f.Value}"))} " +
                $"exits={string.Join(',', campaign._exits.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}"))}"));
        return (campaign._violations, campaign._faults);
    }

    /// <summary>The lanes (three from 100 runs on): both formats, IPv6 and a keep period in one at least; the lists of another owner beside them.</summary>
    private async Task DrawLanesAsync(int runs)
    {
        int count = runs >= 100 ? 3 : 2;
        string[] formats = ["aws-sg", "aws-prefix-list", "aws-prefix-list"];
        _random.Shuffle(formats.AsSpan(0, 2));
        int both = _random.Next(count), keeping = _random.Next(count);
        for (int i = 0; i < count; i++)
        {
            TimeSpan keep = AwsCampaignLane.DrawKeep(_random, formats[i] == "aws-sg");
            keep = i == keeping && keep == TimeSpan.Zero ? AwsCampaignLane.Short(_random, formats[i] == "aws-sg") : keep;
            string family = i == both || _random.Next(2) == 0 ? "both" : "ipv4";
            string? group = formats[i] == "aws-sg" ? AwsGroups.Create(_account).Group : null;
            IpRangesServer mirror = await IpRangesServer.StartAsync(TestData.IpRangesDocuments[^1]);
            _lanes.Add(AwsCampaignLane.Draw(_random, i, (formats[i], family), keep, mirror, group));
            _log.WriteLine($"campaign seed={_seed} lane {i} {_lanes[^1].Describe()}");
        }

        _foreign = await AwsCampaignFaults.ForeignListsAsync(_account, _lanes[0].Name);
    }

    private async Task RunAllAsync(int runs, int? until, bool dealt)
    {
        var failed = new SortedSet<int>();
        for (int run = 0; run < Math.Min(runs, (until ?? int.MaxValue - 1) + 1); run++)
        {
            int before = _violations.Count;
            await RunOneAsync(run);
            if (_violations.Count > before)
            {
                failed.Add(run);
                _violations.Skip(before).ToList().ForEach(v => _log.WriteLine("VIOLATION " + v));
                // The first failing run is where to look (its replay follows); the runs after it start from a broken account.
                break;
            }
        }

        foreach (int run in failed)
        {
            string line = string.Create(CultureInfo.InvariantCulture, $"replay run {run} of seed {_seed}: {(dealt ? "FWRULES_CAMPAIGN_DEALT=1 " : string.Empty)}" +
                $"FWRULES_CAMPAIGN_UNTIL={run} tests/campaigns/aws-account-campaign.sh {_seed} {runs}");
            _violations.Add(line);
            _log.WriteLine(line);
        }
    }

    private async Task RunOneAsync(int run)
    {
        AwsCampaignLane lane = _lanes[_random.Next(_lanes.Count)];
        string fault = _deck?[run] ?? Faults[_random.Next(Faults.Length)];
        RunPlan plan = RunPlan.Draw(_random, fault);
        _faults[fault] = _faults.GetValueOrDefault(fault) + 1;
        AddressSet previous = lane.Published;
        lane.Next(_random, _work);
        string where = string.Create(CultureInfo.InvariantCulture, $"seed {_seed} run {run} lane {lane.Name} ({lane.Format}) fault {fault} {plan}");
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        CampaignSnapshot before = await SnapshotAsync();
        int calls = _account.Proxy.Calls.Count;
        DateTimeOffset startF = DateTimeOffset.UtcNow;
        (int[] exits, string error) = await _play.RunAsync(lane, plan, _work);
        DateTimeOffset endF = DateTimeOffset.UtcNow;
        Array.ForEach(exits, Record);
        lane.Stored(plan.Fault == "two" ? ["one", "two"] : [plan.Runner], exits);
        CampaignSnapshot during = await SnapshotAsync();
        _checks.Where = $"{where}, after the faulted run (exit {string.Join('/', exits)})";
        CheckAlways(during, calls, exits, plan, error);
        if (exits.All(e => e == 0))
        {
            _checks.Exact(lane, during, startF, endF);
        }
        else if (exits is [143 or 130])
        {
            _checks.StopLine(lane, error, before, during);
            _checks.PutBack(before, during, _play.HeldList);
        }

        (AddressSet mustF, AddressSet mayF) = lane.Kept(startF, endF);
        DateTimeOffset startC = DateTimeOffset.UtcNow;
        ProcessResult converge = await FwrulesProcess.RunWithEnvironmentAsync(_account.Proxy.Environment, null, lane.Arguments(plan.Converger, _work));
        DateTimeOffset endC = DateTimeOffset.UtcNow;
        Record(converge.ExitCode);
        lane.Stored([plan.Converger], [converge.ExitCode]);
        CampaignSnapshot after = await SnapshotAsync();
        _checks.Where = $"{where}, after the clean run by {plan.Converger}";
        if (converge.ExitCode != 0)
        {
            _violations.Add($"{_checks.Where}: it did not converge (exit {converge.ExitCode}): {converge.Error.Trim()}");
        }

        CheckAlways(after, calls, [converge.ExitCode], plan, converge.Error);
        _checks.Exact(lane, after, startC, endC);
        (AddressSet mustC, AddressSet mayC) = lane.Kept(startC, endC);
        _checks.Where = $"{where}, the faulted run against the account before it and after the clean run";
        if (!exits.All(e => e == 0))
        {
            // A run that succeeded was judged against the model (Exact): a grace that ran out before the clean run may repack its lists.
            _checks.OldOrNew(lane, before, during, after, fault, mayF.Union(mayC).Union(mustF.Except(mustC)).Union(mustC.Except(mustF)));
        }

        _checks.Allows(lane, during, previous.Intersect(lane.Published));
        lane.Succeeded(startC, endC);
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run} {lane.Name} {fault} {plan} exits={string.Join('/', exits)} violations={_violations.Count} " +
            $"cut={lane.CutEarly.Count} seconds={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1}"));
    }

    /// <summary>
    /// After any run: its exit one the fault allows and no stack trace, the other owner's lists and the groups' foreign rule untouched,
    /// and every modify of the run carried the version it read.
    /// </summary>
    private void CheckAlways(CampaignSnapshot account, int calls, int[] exits, RunPlan plan, string error)
    {
        int[] allowed = [0, 1, 3, .. plan.Fault switch { "term" or "inflight" => [143], "int" => [130], "kill" => [137], _ => Array.Empty<int>() }];
        if (exits.FirstOrDefault(e => !allowed.Contains(e)) is int bad && bad != 0)
        {
            _violations.Add($"{_checks.Where}: exit {bad}: {error.Trim()}");
        }

        if (error.Contains("   at ", StringComparison.Ordinal) || error.Contains("Unhandled", StringComparison.Ordinal))
        {
            _violations.Add($"{_checks.Where}: a stack trace: {error}");
        }

        foreach (CampaignList foreign in _foreign.Where(f => account.ById(f.Id) is not { } now || now.Version != f.Version || !now.Entries.Equals(f.Entries)))
        {
            _violations.Add($"{_checks.Where}: {foreign.Name} ({foreign.Id}), another owner's list, was changed or deleted");
        }

        foreach ((string group, (_, HashSet<string> other)) in account.Groups.Where(g => !g.Value.Other.Contains("out tcp 9999 198.51.100.0/24")))
        {
            _violations.Add($"{_checks.Where}: group {group} lost the rule added by hand ({other.Count} rules not fwrules' left)");
        }

        if (_account.Proxy.Calls.Skip(calls).FirstOrDefault(c => c.CarriedVersion is null) is { } unversioned)
        {
            _violations.Add($"{_checks.Where}: a modify of {unversioned.Name} ({unversioned.Id}) carried no version: another writer's change is not checked");
        }
    }

    private void Record(int exit) => _exits[exit] = _exits.GetValueOrDefault(exit) + 1;

    private async Task<CampaignSnapshot> SnapshotAsync()
    {
        // A call a stopped run gave up on still lands (AWS carries it out): the account is read once none is left at the proxy.
        await _account.Proxy.IdleAsync();
        return await CampaignSnapshot.ReadAsync(_account, _lanes.Select(l => l.Group).OfType<string>());
    }
}

/// <summary>One run's draws: the fault, the runners, the call it lands on, the signal's delay, the hold of a modify, the error code, the slow calls' seed.</summary>
internal sealed record RunPlan(string Fault, string Runner, string Converger, int Trigger, int Delay, int Hold, string Error, int SlowSeed)
{
    public static RunPlan Draw(Random random, string fault) => new(
        fault,
        random.Next(2) == 0 ? "one" : "two",
        random.Next(2) == 0 ? "one" : "two",
        random.Next(1, 25),
        random.Next(0, 400),
        random.Next(900, 2500),
        random.Next(3) == 0 ? "InvalidParameterValue" : "InternalError",
        random.Next());

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"runner {Runner} converger {Converger} call {Trigger} delay {Delay}ms hold {Hold}ms error {Error}");
}
