using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>
/// Loads the <c>iptables-ipset-script</c> output step by step instead of through <c>sh</c>, so that it can check first
/// and undo on failure: the new lists go into temporary sets, the rules are tested with <c>iptables-restore --test</c>,
/// then the sets are swapped in (each swap atomic), each family's chains refilled in one commit, and the jumps added
/// when missing. If a step after the first swap fails, the sets are swapped back and the chains restored.
/// </summary>
internal sealed partial class IpsetBackend(IptablesEmitterOptions options, FirewallTools tools) : IFirewallBackend
{
    public string Target => $"the {options.Name}-* ipsets and the {options.Name}-egress/-ingress chains";

    public async Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken)
    {
        LoadPlan plan = Plan(rules);
        var listing = new StringBuilder();
        foreach (IpsetSet set in plan.Sets)
        {
            ToolOutput saved = await RunAsync("ipset", ["save", set.Name], null, cancellationToken).ConfigureAwait(false);
            listing.Append(saved.Succeeded ? saved.Output : Absent(saved, $"set {set.Name}"));
        }

        foreach ((AddressFamilies family, Direction direction) in plan.Chains)
        {
            string command = IptablesNames.Command(family), chain = IptablesNames.Chain(options, direction);
            ToolOutput rulesNow = await RunAsync(command, ["-w", "-S", chain], null, cancellationToken).ConfigureAwait(false);
            listing.Append(rulesNow.Succeeded ? rulesNow.Output : Absent(rulesNow, $"{command} chain {chain}"));
            ToolOutput jumps = await RunAsync(command, ["-w", "-C", IptablesNames.Hook(options, direction), "-j", chain], null, cancellationToken).ConfigureAwait(false);
            ThrowIfKilled(jumps);
            bool jump = jumps.Succeeded;
            listing.Append(CultureInfo.InvariantCulture, $"{command} jump {IptablesNames.Hook(options, direction)} -> {chain}: {(jump ? "present" : "absent")}\n");
        }

        return listing.ToString();
    }

    public bool Holds(RuleSet rules, string listing) =>
        listing.Split('\n').Any(line => line.Length > 0 && !line.StartsWith("absent: ", StringComparison.Ordinal) && !line.EndsWith(": absent", StringComparison.Ordinal));

    /// <remarks>
    /// Every set the rules load holds their elements, every chain exists with its jump, and the rules' comments name
    /// their version (and no other).
    /// </remarks>
    public bool InForce(RuleSet rules, string listing, string before)
    {
        LoadPlan plan = Plan(rules);
        string[] lines = listing.Split('\n');
        bool sets = plan.Sets.All(set => !lines.Contains($"absent: set {set.Name}")
            && PrefixSet.Parse(string.Join('\n', lines.Where(line => line.StartsWith($"add {set.Name} ", StringComparison.Ordinal)).Select(line => line.Split(' ')[2])))
                .Equals(set.Prefixes));
        bool chains = plan.Chains.All(c => !lines.Contains($"absent: {IptablesNames.Command(c.Family)} chain {IptablesNames.Chain(options, c.Direction)}"))
            && !lines.Any(line => line.EndsWith(": absent", StringComparison.Ordinal));
        long[] named = NetfilterVersions.Named(listing);
        return sets && chains && (named.Length == 0 ? !options.Comments : named is [long only] && only == rules.Provenance.Version);
    }

    public IReadOnlyList<HeldSet>? Held(RuleSet rules, string listing)
    {
        string[] lines = listing.Split('\n');
        try
        {
            // "ipset save" lists a set's elements as "add NAME PREFIX"; a set not there was listed as "absent: set NAME".
            return [.. Plan(rules).Sets.Select(set => new HeldSet(set.Rule, PrefixSet.Parse(string.Join('\n',
                lines.Where(line => line.StartsWith($"add {set.Name} ", StringComparison.Ordinal)).Select(line => line.Split(' ')[2])))))];
        }
        catch (Cidr.PrefixFormatException)
        {
            return null;
        }
    }

    public async Task ApplyAsync(RuleSet rules, RuleSet? loaded, CancellationToken cancellationToken)
    {
        LoadPlan plan = Plan(rules);
        var undo = new IpsetUndo(options, tools, plan);
        await StageAsync(plan, undo, cancellationToken).ConfigureAwait(false);
        try
        {
            await undo.RecordChainsAsync(cancellationToken).ConfigureAwait(false);
            await SwapAsync(plan, undo).ConfigureAwait(false);
            foreach ((AddressFamilies family, string table) in plan.Tables)
            {
                ToolOutput load = await RunAsync($"{IptablesNames.Command(family)}-restore", ["-w", "--noflush"], table, CancellationToken.None).ConfigureAwait(false);
                if (load.Succeeded || load.Killed)
                {
                    // A load killed may have committed: putting the chains back is safe either way.
                    undo.Loaded(family);
                }

                Require(load, "could not load the rules");
            }

            foreach ((AddressFamilies family, Direction direction) in plan.Chains)
            {
                await AddJumpAsync(family, direction, undo).ConfigureAwait(false);
            }
        }
        catch (FirewallSyncException failure)
        {
            string restored = await undo.RunAsync().ConfigureAwait(false);
            throw new FirewallSyncException($"{failure.Message}; {restored}") { ToolKilled = failure.ToolKilled };
        }
        catch (OperationCanceledException)
        {
            // Stopped before the first swap: the temporary sets go, and nothing else changed.
            await undo.RunAsync().ConfigureAwait(false);
            throw;
        }

        // The twins now hold the old lists: gone, as the script's destroy leaves them.
        await DestroyTemporariesAsync(plan.Sets.Select(set => set.Temporary)).ConfigureAwait(false);
    }

    /// <summary>Destroys these temporary sets, once more if a signal ended the first try (no run leaves one behind).</summary>
    private async Task DestroyTemporariesAsync(IEnumerable<string> temporaries)
    {
        string destroy = string.Concat(temporaries.Select(set => $"destroy {set}\n"));
        if (destroy.Length > 0 && (await RunAsync("ipset", ["restore"], destroy, CancellationToken.None).ConfigureAwait(false)).Killed)
        {
            await RunAsync("ipset", ["restore"], destroy, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Fills the temporary sets and tests the rules against them; on failure or a stop removes what it made, so nothing
    /// changed. Temporary sets of this name that a killed run left are destroyed first.
    /// </summary>
    private async Task StageAsync(LoadPlan plan, IpsetUndo undo, CancellationToken cancellationToken)
    {
        ToolOutput listed = await RunAsync("ipset", ["list", "-n"], null, cancellationToken).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            throw new FirewallSyncException($"cannot read the firewall: {listed.Command}: {listed.Complaint}") { ToolKilled = listed.Killed };
        }

        HashSet<string> existing = [.. listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        await DestroyTemporariesAsync(existing.Where(IsLeftOver).Order(StringComparer.Ordinal)).ConfigureAwait(false);
        using var stage = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (IpsetSet set in plan.Sets)
        {
            // A live set that does not exist yet is created empty, for the rules' test to find; nothing matches it yet.
            if (!existing.Contains(set.Name))
            {
                stage.Write($"create {set.Name} {set.Type}\n");
                undo.Created(set.Name);
            }

            IpsetRestoreSets.WriteFill(stage, set);
        }

        (string Failure, bool Killed) failed;
        try
        {
            ToolOutput staged = await RunAsync("ipset", ["restore"], stage.ToString(), cancellationToken).ConfigureAwait(false);
            failed = staged.Succeeded ? await TestRulesAsync(plan, cancellationToken).ConfigureAwait(false) : ($"ipset refused the sets: {staged.Complaint}", staged.Killed);
        }
        catch (OperationCanceledException)
        {
            await undo.RunAsync().ConfigureAwait(false);
            throw;
        }

        if (failed.Failure.Length > 0)
        {
            await undo.RunAsync().ConfigureAwait(false);
            throw new FirewallSyncException($"{failed.Failure}; nothing was changed") { ToolKilled = failed.Killed };
        }
    }

    /// <summary>A temporary twin of one of this name's sets (<c>{name}-e443-tcp4-tmp</c>), which only a killed run leaves.</summary>
    private bool IsLeftOver(string set) =>
        set.StartsWith(options.Name + "-", StringComparison.Ordinal) && LeftOverSet().IsMatch(set[(options.Name.Length + 1)..]);

    [GeneratedRegex(@"^[ei][0-9]+(-[0-9]+)?-[a-z0-9]+[46]-tmp$")]
    private static partial Regex LeftOverSet();

    private async Task<(string Failure, bool Killed)> TestRulesAsync(LoadPlan plan, CancellationToken cancellationToken)
    {
        foreach ((AddressFamilies family, string table) in plan.Tables)
        {
            string command = $"{IptablesNames.Command(family)}-restore";
            ToolOutput tested = await RunAsync(command, ["-w", "--test", "--noflush"], table, cancellationToken).ConfigureAwait(false);
            if (!tested.Succeeded)
            {
                return ($"{command} --test refused the rules: {tested.Complaint}", tested.Killed);
            }
        }

        return (string.Empty, false);
    }

    private async Task SwapAsync(LoadPlan plan, IpsetUndo undo)
    {
        // One ipset process for every swap: the sets change within microseconds of each other.
        string swaps = string.Concat(plan.Sets.Select(set => $"swap {set.Temporary} {set.Name}\n"));
        ToolOutput swapped = await RunAsync("ipset", ["restore"], swaps, CancellationToken.None).ConfigureAwait(false);
        undo.Swapped(swapped.Succeeded ? plan.Sets.Count : swapped.Killed ? await SwappedAsync(plan) : IpsetUndo.LinesBefore(swapped.Error));
        Require(swapped, "could not swap the new lists in");
    }

    /// <summary>
    /// How many sets a killed swap had swapped, read back: a twin swapped holds the old list, not the one staged (a set whose
    /// list did not change counts either way, as swapping it back changes nothing).
    /// </summary>
    private async Task<int> SwappedAsync(LoadPlan plan)
    {
        int swapped = 0;
        for (int i = 0; i < plan.Sets.Count; i++)
        {
            ToolOutput twin = await RunAsync("ipset", ["save", plan.Sets[i].Temporary], null, CancellationToken.None).ConfigureAwait(false);
            string[] members = [.. twin.Output.Split('\n').Where(line =>
                line.StartsWith($"add {plan.Sets[i].Temporary} ", StringComparison.Ordinal)).Select(line => line.Split(' ')[2])];
            swapped = PrefixSet.Parse(string.Join('\n', members)).Equals(plan.Sets[i].Prefixes) ? swapped : i + 1;
        }

        return swapped;
    }

    private async Task AddJumpAsync(AddressFamilies family, Direction direction, IpsetUndo undo)
    {
        if (await HasJumpAsync(family, direction, CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }

        string hook = IptablesNames.Hook(options, direction), chain = IptablesNames.Chain(options, direction);
        ToolOutput added = await RunAsync(IptablesNames.Command(family), ["-w", "-I", hook, "-j", chain], null, CancellationToken.None).ConfigureAwait(false);
        if (added.Succeeded || (added.Killed && await HasJumpAsync(family, direction, CancellationToken.None).ConfigureAwait(false)))
        {
            undo.Jumped(family, direction);
        }

        Require(added, "could not add the jump");
    }

    private async Task<bool> HasJumpAsync(AddressFamilies family, Direction direction, CancellationToken cancellationToken) =>
        (await RunAsync(IptablesNames.Command(family), ["-w", "-C", IptablesNames.Hook(options, direction), "-j", IptablesNames.Chain(options, direction)], null, cancellationToken)
            .ConfigureAwait(false)).Succeeded;

    /// <summary>What a listing says of an object its tool did not list: absent, unless the tool was killed (then nothing is known).</summary>
    private static string Absent(ToolOutput output, string what)
    {
        ThrowIfKilled(output);
        return $"absent: {what}\n";
    }

    /// <exception cref="FirewallSyncException">The tool was killed (a second stop sent to the process group kills a read-back).</exception>
    private static void ThrowIfKilled(ToolOutput output)
    {
        if (output.Killed)
        {
            throw new FirewallSyncException($"cannot read the firewall: {output.Command}: {output.Complaint}") { ToolKilled = true };
        }
    }

    private static void Require(ToolOutput output, string what)
    {
        if (!output.Succeeded)
        {
            throw new FirewallSyncException($"{output.Command} {what}: {output.Complaint}") { ToolKilled = output.Killed };
        }
    }

    private Task<ToolOutput> RunAsync(string tool, IReadOnlyList<string> args, string? input, CancellationToken cancellationToken) =>
        tools.RunAsync(tool, args, input, cancellationToken);

    // The rules the iptables-ipset-script output would hold, from the render step, in the pieces loaded one by one.
    private LoadPlan Plan(RuleSet rules) => rules.Render(new IptablesScriptEmitter(options), Plan);

    private LoadPlan Plan(PreparedRules prepared)
    {
        IptablesNames.RequireSetsFit(options, prepared.Rules);
        AddressFamilies[] families = IptablesNames.RenderedFamilies(prepared);
        var tables = families.Select(family => (family, new IptablesRestoreTable(options, family).Write(prepared.Rules.ForFamilies(family)))).ToArray();
        var chains = families.SelectMany(family => prepared.Rules.ForFamilies(family).Directions.Select(direction => (family, direction))).ToArray();
        return new LoadPlan([.. new IpsetRestoreSets(options).Sets(prepared.Rules)], tables, chains);
    }
}
