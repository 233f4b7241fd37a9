using System.Globalization;
using System.Text;
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
internal sealed class IpsetBackend(IptablesEmitterOptions options, FirewallTools tools) : IFirewallBackend
{
    public string Target => $"the {options.Name}-* ipsets and the {options.Name}-egress/-ingress chains";

    public async Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken)
    {
        LoadPlan plan = Plan(rules);
        var listing = new StringBuilder();
        foreach (IpsetSet set in plan.Sets)
        {
            ToolOutput saved = await RunAsync("ipset", ["save", set.Name], null, cancellationToken).ConfigureAwait(false);
            listing.Append(saved.Succeeded ? saved.Output : $"absent: set {set.Name}\n");
        }

        foreach ((AddressFamilies family, Direction direction) in plan.Chains)
        {
            string command = IptablesNames.Command(family), chain = IptablesNames.Chain(options, direction);
            ToolOutput rulesNow = await RunAsync(command, ["-w", "-S", chain], null, cancellationToken).ConfigureAwait(false);
            listing.Append(rulesNow.Succeeded ? rulesNow.Output : $"absent: {command} chain {chain}\n");
            bool jump = await HasJumpAsync(family, direction, cancellationToken).ConfigureAwait(false);
            listing.Append(CultureInfo.InvariantCulture, $"{command} jump {IptablesNames.Hook(options, direction)} -> {chain}: {(jump ? "present" : "absent")}\n");
        }

        return listing.ToString();
    }

    public async Task<bool> HoldsRulesAsync(RuleSet rules, CancellationToken cancellationToken)
    {
        string listing = await ReadKernelAsync(rules, cancellationToken).ConfigureAwait(false);
        return listing.Split('\n').Any(line => line.Length > 0 && !line.StartsWith("absent: ", StringComparison.Ordinal) && !line.EndsWith(": absent", StringComparison.Ordinal));
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
                Require(await RunAsync($"{IptablesNames.Command(family)}-restore", ["-w", "--noflush"], table, CancellationToken.None).ConfigureAwait(false), "could not load the rules");
                undo.Loaded(family);
            }

            foreach ((AddressFamilies family, Direction direction) in plan.Chains)
            {
                await AddJumpAsync(family, direction, undo).ConfigureAwait(false);
            }
        }
        catch (FirewallSyncException failure)
        {
            string restored = await undo.RunAsync().ConfigureAwait(false);
            throw new FirewallSyncException($"{failure.Message}; {restored}");
        }

        // The twins now hold the old lists: gone, as the script's destroy leaves them.
        await RunAsync("ipset", ["restore"], string.Concat(plan.Sets.Select(set => $"destroy {set.Temporary}\n")), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Fills the temporary sets and tests the rules against them; on failure removes what it made, so nothing changed.</summary>
    private async Task StageAsync(LoadPlan plan, IpsetUndo undo, CancellationToken cancellationToken)
    {
        ToolOutput listed = await RunAsync("ipset", ["list", "-n"], null, cancellationToken).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            throw new FirewallSyncException($"cannot read the firewall: {listed.Command}: {listed.Complaint}");
        }

        HashSet<string> existing = [.. listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
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

        string failure = await RunAsync("ipset", ["restore"], stage.ToString(), cancellationToken).ConfigureAwait(false) is { Succeeded: false } staged
            ? $"ipset refused the sets: {staged.Complaint}"
            : await TestRulesAsync(plan, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        if (failure.Length > 0)
        {
            await undo.RunAsync().ConfigureAwait(false);
            throw new FirewallSyncException($"{failure}; nothing was changed");
        }
    }

    private async Task<string?> TestRulesAsync(LoadPlan plan, CancellationToken cancellationToken)
    {
        foreach ((AddressFamilies family, string table) in plan.Tables)
        {
            string command = $"{IptablesNames.Command(family)}-restore";
            ToolOutput tested = await RunAsync(command, ["-w", "--test", "--noflush"], table, cancellationToken).ConfigureAwait(false);
            if (!tested.Succeeded)
            {
                return $"{command} --test refused the rules: {tested.Complaint}";
            }
        }

        return null;
    }

    private async Task SwapAsync(LoadPlan plan, IpsetUndo undo)
    {
        // One ipset process for every swap: the sets change within microseconds of each other.
        string swaps = string.Concat(plan.Sets.Select(set => $"swap {set.Temporary} {set.Name}\n"));
        ToolOutput swapped = await RunAsync("ipset", ["restore"], swaps, CancellationToken.None).ConfigureAwait(false);
        undo.Swapped(swapped.Succeeded ? plan.Sets.Count : IpsetUndo.LinesBefore(swapped.Error));
        Require(swapped, "could not swap the new lists in");
    }

    private async Task AddJumpAsync(AddressFamilies family, Direction direction, IpsetUndo undo)
    {
        if (await HasJumpAsync(family, direction, CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }

        string hook = IptablesNames.Hook(options, direction), chain = IptablesNames.Chain(options, direction);
        Require(await RunAsync(IptablesNames.Command(family), ["-w", "-I", hook, "-j", chain], null, CancellationToken.None).ConfigureAwait(false), "could not add the jump");
        undo.Jumped(family, direction);
    }

    private async Task<bool> HasJumpAsync(AddressFamilies family, Direction direction, CancellationToken cancellationToken) =>
        (await RunAsync(IptablesNames.Command(family), ["-w", "-C", IptablesNames.Hook(options, direction), "-j", IptablesNames.Chain(options, direction)], null, cancellationToken)
            .ConfigureAwait(false)).Succeeded;

    private static void Require(ToolOutput output, string what)
    {
        if (!output.Succeeded)
        {
            throw new FirewallSyncException($"{output.Command} {what}: {output.Complaint}");
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
