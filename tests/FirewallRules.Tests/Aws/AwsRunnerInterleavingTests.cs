using System.Collections.Concurrent;
using System.Globalization;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Two runners on one account (two machines: two state directories, each signing with a key of its own), interleaved call by call:
/// every AWS call of either waits at the proxy (<see cref="MotoPrefixListProxy.BeforeAnyCall"/>) until the schedule lets it go on. A
/// seeded schedule picks, at each moment both wait (or one has ended), which one's call goes next; a fixed one holds the second runner
/// until a prefix's grace has run out between the two runners' reads, then lets it write its lists and its record between the first
/// runner's lists and its record (the order the account campaign met once by chance). The change is one that needs a list more and
/// removes prefixes into grace. Proved: both succeed; no list of one name twice; the lists hold exactly the oracle's model (the published
/// prefixes and those in grace, the documents' JSON read into <see cref="AddressSet"/>); the grace record names exactly the kept
/// prefixes the lists hold; and a clean run of each runner changes nothing.
/// </summary>
[TestFixture]
[Category("Aws")]
[OwnMotoServer]
public sealed class AwsRunnerInterleavingTests
{
    /// <summary>The seeds CI plays; <c>FWRULES_INTERLEAVING_SEED</c> and <c>FWRULES_INTERLEAVING_SEEDS</c> play others.</summary>
    public static IEnumerable<int> Seeds() =>
        Enumerable.Range(Setting("FWRULES_INTERLEAVING_SEED", 3901), Setting("FWRULES_INTERLEAVING_SEEDS", 3));

    [TestCaseSource(nameof(Seeds))]
    public async Task TwoRunners_InterleavedCallByCall_BothSucceedAndTheAccountHoldsExactlyTheModel(int seed)
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9100, 0, 150));
        string[] common = ["-s", "logs", "--family", "ipv4", "--max-entries", "100", "--keep-removed", "1h"];
        Assert.That((await Runner(account, "one", common)).ExitCode, Is.Zero);
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 9101, 30, 260));
        var random = new Random(seed);

        ProcessResult[] runs = await InterleaveAsync(account, common, waiting => Task.FromResult(random.GetItems([.. waiting.Keys.Order(StringComparer.Ordinal)], 1)[0]));

        Check(account, runs, common, kept: Window(0, 30), $"seed {seed}");
    }

    [Test]
    public async Task TwoRunners_GraceEndsBetweenTheirReads_TheRecordNamesWhatTheListsKeep()
    {
        using var documents = new TempFiles();
        await using AwsAccount account = await AwsAccount.StartAsync(GeneratedDocuments.Write(documents.DirectoryPath, 9200, 0, 150));
        string[] common = ["-s", "logs", "--family", "ipv4", "--max-entries", "100", "--keep-removed", "8s"];
        Assert.That((await Runner(account, "one", common)).ExitCode, Is.Zero);
        DateTimeOffset seen = DateTimeOffset.UtcNow;
        account.Mirror.Serve(GeneratedDocuments.Write(documents.DirectoryPath, 9201, 30, 260));

        // One goes up to its record (its lists written, keeping the 30 in grace); two reads once their grace has run out, writes its
        // lists and its record; then one writes its record.
        ProcessResult[] runs = await InterleaveAsync(account, common, async waiting =>
        {
            if (waiting.TryGetValue("one", out string? action) && action != "CreateTags (the grace record)")
            {
                return "one";
            }

            if (waiting.ContainsKey("two"))
            {
                await Task.Delay((seen + TimeSpan.FromSeconds(9.5) - DateTimeOffset.UtcNow) is { Ticks: > 0 } left ? left : TimeSpan.Zero);
                return "two";
            }

            return "one";
        });

        // The grace has run out: a clean run may still remove what either left; only what the two left together is judged.
        Check(account, runs, null, kept: AddressSet.Empty, "grace ending between the runners' reads", mayKeep: Window(0, 30));
    }

    /// <summary>
    /// Starts both runners with every call held; each time both wait (or one has ended) asks <paramref name="next"/> which goes on (given
    /// the runners waiting, each with the action of its call), and lets that call through.
    /// </summary>
    private static async Task<ProcessResult[]> InterleaveAsync(AwsAccount account, string[] common, Func<IReadOnlyDictionary<string, string>, Task<string>> next)
    {
        var waiting = new ConcurrentDictionary<string, (string Action, TaskCompletionSource Go)>(StringComparer.Ordinal);
        var order = new List<string>();
        account.Proxy.BeforeAnyCall = async (action, key, form) =>
        {
            string runner = key == "runner-one" ? "one" : key == "runner-two" ? "two" : string.Empty;
            if (runner.Length > 0)
            {
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // The grace record's write (its seen tag) apart from the other tags a run writes.
                waiting[runner] = (action == "CreateTags" && form.Values.Contains("fwrules:seen") ? "CreateTags (the grace record)" : action, go);
                await go.Task;
            }
        };

        Task<ProcessResult>[] runs = [Runner(account, "one", common), Runner(account, "two", common)];
        while (!runs.All(r => r.IsCompleted))
        {
            await Task.Delay(30);
            bool[] done = [runs[0].IsCompleted, runs[1].IsCompleted];
            string[] held = [.. waiting.Keys];
            if (held.Length == 0 || (held.Length == 1 && !done[held[0] == "one" ? 1 : 0]))
            {
                continue;
            }

            string pick = await next(waiting.ToDictionary(w => w.Key, w => w.Value.Action, StringComparer.Ordinal));
            if (waiting.TryRemove(pick, out (string Action, TaskCompletionSource Go) call))
            {
                order.Add($"{pick} {call.Action}");
                call.Go.SetResult();
            }
        }

        account.Proxy.BeforeAnyCall = null;
        TestContext.Out.WriteLine($"calls in the order let through: {string.Join(", ", order)}");
        return [.. runs.Select(r => r.Result)];
    }

    private static Task<ProcessResult> Runner(AwsAccount account, string runner, string[] common) =>
        FwrulesProcess.RunWithEnvironmentAsync(new Dictionary<string, string>(account.Proxy.Environment) { ["AWS_ACCESS_KEY_ID"] = $"runner-{runner}" },
            null, [.. account.Common(runner), .. common]);

    // Both succeeded; the lists are the name's, distinct, within their size, holding the published and kept prefixes (and maybe those
    // that may be kept); the record names exactly what the lists keep beyond the published; each runner's clean run (with common) then
    // changes nothing.
    private static void Check(AwsAccount account, ProcessResult[] runs, string[]? common, AddressSet kept, string what, AddressSet? mayKeep = null)
    {
        Assert.That(runs.Select(r => r.ExitCode), Is.All.Zero, $"{what}: {string.Join("\n", runs.Select(r => r.Error))}");
        IReadOnlyList<ListState> lists = account.Lists();
        Assert.That(lists.Select(l => l.Name), Is.Unique, $"{what}: two lists of one name");
        Assert.That(lists.Select(l => l.Entries.Count), Has.All.LessThanOrEqualTo(100), $"{what}: a list over its size");
        AddressSet held = AddressSet.Of(lists.SelectMany(l => l.Entries.Select(e => e.ToString())));
        AddressSet published = Window(30, 260);
        AddressSet must = published.Union(kept);
        AddressSet may = must.Union(mayKeep ?? AddressSet.Empty);
        Assert.That(must.Except(held).ToString(), Is.Empty, $"{what}: prefixes published or in grace are missing");
        Assert.That(held.Except(may).ToString(), Is.Empty, $"{what}: prefixes neither published nor in grace are held");
        ListState first = lists.Single(l => l.Name == $"{account.Name}-ipv4");
        AddressSet recorded = AddressSet.Of(first.Tags.Where(t => t.Key.StartsWith("fwrules:grace-", StringComparison.Ordinal))
            .SelectMany(t => t.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(t => t[0] is not ('=' or '@')));
        Assert.That(recorded.ToString(), Is.EqualTo(held.Except(published).ToString()), $"{what}: the grace record does not name exactly what the lists keep");
        if (common is null)
        {
            return;
        }

        int before = account.Proxy.Calls.Count;
        foreach (string runner in (string[])["one", "two"])
        {
            ProcessResult clean = Runner(account, runner, common).GetAwaiter().GetResult();
            Assert.That(clean.ExitCode, Is.Zero, clean.Error);
        }

        Assert.That(account.Proxy.Calls.Skip(before), Has.None.Matches<ModifyCall>(c => c.Add.Length + c.Remove.Length > 0), $"{what}: a clean run changed the lists");
    }

    // The generated logs prefixes numbered from to to (exclusive), as the oracle holds them.
    private static AddressSet Window(int from, int to) => AddressSet.Of(Enumerable.Range(from, to - from).Select(i => GeneratedDocuments.Prefix(i).ToString()));

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
