using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// Plays one run of the account campaign under its fault, through the hooks of <see cref="MotoPrefixListProxy"/>: every call is
/// counted (a fault lands on the call its plan drew), slowed, failed, preceded by a hand edit, held in flight, or held until the
/// other runner has read the account too.
/// </summary>
internal sealed class AwsCampaignFaults
{
    private readonly AwsAccount _account;
    private int _calls;
    private Func<int, string?>? _atCall;
    private Func<ModifyCall, Task>? _atModify;
    private Random? _slow;
    private TaskCompletionSource? _overlap;
    private int _reads;

    /// <summary>The list whose entries change the last inflight fault held in flight when the stop came; null when none was held.</summary>
    public string? HeldList { get; private set; }

    public AwsCampaignFaults(AwsAccount account)
    {
        _account = account;
        account.Proxy.BeforeModify = ModifyAsync;
        account.Proxy.BeforeForward = ForwardAsync;
    }

    /// <summary>Runs the lane's sync under <paramref name="plan"/>'s fault; returns each runner's exit and what they wrote to standard error.</summary>
    public async Task<(int[] Exits, string Error)> RunAsync(AwsCampaignLane lane, RunPlan plan, string work)
    {
        (_calls, HeldList) = (0, null);
        if (plan.Fault == "two")
        {
            // Neither runner writes before both have read: the first full read waits for the second (10 s at most).
            (_reads, _overlap) = (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            ProcessResult[] both = await Task.WhenAll(
                FwrulesProcess.RunWithEnvironmentAsync(_account.Proxy.Environment, null, lane.Arguments("one", work)),
                FwrulesProcess.RunWithEnvironmentAsync(_account.Proxy.Environment, null, lane.Arguments("two", work)));
            _overlap = null;
            return ([.. both.Select(r => r.ExitCode)], string.Join('\n', both.Select(r => r.Error)));
        }

        var started = new TaskCompletionSource<SyncProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        string signal = plan.Fault switch { "int" => "INT", "kill" => "KILL", _ => "TERM" };
        _atCall = plan.Fault switch
        {
            "error" => call => call == plan.Trigger ? plan.Error : null,
            "term" or "int" or "kill" => call =>
            {
                if (call == plan.Trigger)
                {
                    _ = SignalAsync(started.Task, signal, plan.Delay);
                }

                return null;
            },
            _ => null,
        };
        bool held = false;
        _atModify = plan.Fault switch
        {
            // The first entry change is held in flight; SIGTERM lands while it is, then the change goes through (as AWS carries out a
            // call whose answer nobody waits for).
            "inflight" => async call =>
            {
                if (!held && call.MaxEntries is null && (held = true))
                {
                    HeldList = call.Id;
                    _ = SignalAsync(started.Task, "TERM", Math.Min(plan.Delay, plan.Hold - 400) + 100);
                    await Task.Delay(plan.Hold);
                }
            },
            "conflict" => call => call.Add.Length + call.Remove.Length > 0 && !held && (held = true) ? HandEditAsync(call, plan) : Task.CompletedTask,
            _ => null,
        };
        _slow = plan.Fault == "slow" ? new Random(plan.SlowSeed) : null;
        using SyncProcess sync = SyncProcess.Start(_account.Proxy.Environment, lane.Arguments(plan.Runner, work));
        started.SetResult(sync);
        ProcessResult result = await sync.WaitAsync(TimeSpan.FromMinutes(3));
        (_atCall, _atModify, _slow) = (null, null, null);
        return ([result.ExitCode], result.Error);
    }

    /// <summary>
    /// Lists of other owners beside the campaign's: one fwrules keeps under another name (the first lane's with an x), and one
    /// with the first lane's name tag and list name but without fwrules' managed-by tag. No run may change either.
    /// </summary>
    public static async Task<List<CampaignList>> ForeignListsAsync(AwsAccount account, string name)
    {
        AmazonEC2Client ec2 = account.Ec2;
        var made = new List<string>();
        foreach ((string list, Tag[] tags) in (ValueTuple<string, Tag[]>[])[
            ($"{name}x-ipv4", [new("fwrules:managed-by", "fwrules"), new("fwrules:name", name + "x"), new("fwrules:family", "ipv4")]),
            ($"{name}-ipv4", [new("fwrules:name", name), new("fwrules:family", "ipv4")])])
        {
            CreateManagedPrefixListResponse created = await ec2.CreateManagedPrefixListAsync(new()
            {
                PrefixListName = list,
                AddressFamily = "IPv4",
                MaxEntries = 5,
                Entries = [new() { Cidr = "20.0.0.2/32" }, new() { Cidr = "203.0.113.0/24" }],
                TagSpecifications = [new() { ResourceType = ResourceType.PrefixList, Tags = [.. tags] }],
            });
            made.Add(created.PrefixList.PrefixListId);
        }

        CampaignSnapshot read = await CampaignSnapshot.ReadAsync(account, []);
        return [.. read.Lists.Where(l => made.Contains(l.Id))];
    }

    private static async Task SignalAsync(Task<SyncProcess> process, string signal, int delay)
    {
        SyncProcess sync = await process;
        await Task.Delay(delay);
        sync.Signal(signal);
    }

    private async Task HandEditAsync(ModifyCall call, RunPlan plan) => await
        _account.Proxy.HandEditAsync(call.Id, call.Name, string.Create(CultureInfo.InvariantCulture, $"192.0.2.{plan.SlowSeed % 256}/32"));

    private async Task<string?> ModifyAsync(ModifyCall call)
    {
        if (_atModify is { } atModify)
        {
            await atModify(call);
        }

        return await CountAsync();
    }

    private async Task<string?> ForwardAsync(string action, IReadOnlyDictionary<string, string> form)
    {
        if (_overlap is { } overlap && action == "DescribeManagedPrefixLists" && !form.ContainsKey("PrefixListId.1"))
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                await overlap.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            else
            {
                overlap.TrySetResult();
            }
        }

        return await CountAsync();
    }

    private async Task<string?> CountAsync()
    {
        int call = Interlocked.Increment(ref _calls);
        if (_slow is { } slow)
        {
            int delay;
            lock (slow)
            {
                delay = slow.Next(0, 300);
            }

            await Task.Delay(delay);
        }

        return _atCall?.Invoke(call);
    }
}
