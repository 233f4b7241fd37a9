using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>
/// Remembers what <see cref="IpsetBackend"/> changed, step by step, and puts it back: jumps it added are deleted, chains
/// it refilled get their previous rules, sets it swapped are swapped back (the twins hold the old lists), and what it
/// created is destroyed.
/// </summary>
internal sealed partial class IpsetUndo(IptablesEmitterOptions options, FirewallTools tools, LoadPlan plan)
{
    private readonly List<string> _created = [];
    private readonly List<AddressFamilies> _loaded = [];
    private readonly List<(AddressFamilies Family, Direction Direction)> _jumped = [];
    private readonly Dictionary<(AddressFamilies Family, Direction Direction), string[]?> _chains = [];
    private int _swapped;

    public void Created(string set) => _created.Add(set);

    public void Swapped(int count) => _swapped = count;

    public void Loaded(AddressFamilies family) => _loaded.Add(family);

    public void Jumped(AddressFamilies family, Direction direction) => _jumped.Add((family, direction));

    /// <summary>How many lines of an <c>ipset restore</c> input ran before the one its error names (none when it names none).</summary>
    public static int LinesBefore(string error) =>
        ErrorLine().Match(error) is { Success: true } found ? int.Parse(found.Groups[1].Value, CultureInfo.InvariantCulture) - 1 : 0;

    /// <summary>Reads the rules of every chain the plan refills, before it does (null for a chain that does not exist).</summary>
    public async Task RecordChainsAsync(CancellationToken cancellationToken)
    {
        foreach ((AddressFamilies family, Direction direction) in plan.Chains)
        {
            ToolOutput listed = await tools.RunAsync(IptablesNames.Command(family), ["-w", "-S", IptablesNames.Chain(options, direction)], null, cancellationToken)
                .ConfigureAwait(false);
            _chains[(family, direction)] = listed.Succeeded
                ? [.. listed.Output.Split('\n').Where(line => line.StartsWith("-A ", StringComparison.Ordinal))]
                : null;
        }
    }

    /// <summary>Undoes everything recorded, in reverse order, and says how that went.</summary>
    public async Task<string> RunAsync()
    {
        var failures = new List<string>();
        foreach ((AddressFamilies family, Direction direction) in _jumped)
        {
            await RunAsync(failures, IptablesNames.Command(family), ["-w", "-D", IptablesNames.Hook(options, direction), "-j", IptablesNames.Chain(options, direction)], null)
                .ConfigureAwait(false);
        }

        foreach (AddressFamilies family in _loaded)
        {
            await RestoreChainsAsync(failures, family).ConfigureAwait(false);
        }

        // Only what exists: a twin the staging never made is no reason to stop putting the rest back.
        ToolOutput listed = await tools.RunAsync("ipset", ["list", "-n"], null, CancellationToken.None).ConfigureAwait(false);
        HashSet<string> existing = [.. listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        string sets = string.Concat(plan.Sets.Take(_swapped).Select(set => $"swap {set.Temporary} {set.Name}\n"))
            + string.Concat(plan.Sets.Select(set => set.Temporary).Concat(_created).Where(existing.Contains).Select(set => $"destroy {set}\n"));
        await RunAsync(failures, "ipset", ["restore"], sets).ConfigureAwait(false);
        return failures.Count == 0
            ? "the previous rules were put back and stay in force"
            : $"putting the previous rules back failed too ({string.Join("; ", failures)}): run sync again, or check the firewall by hand";
    }

    private async Task RestoreChainsAsync(List<string> failures, AddressFamilies family)
    {
        var restore = new StringBuilder("*filter\n");
        var chains = plan.Chains.Where(c => c.Family == family).Select(c => (Chain: IptablesNames.Chain(options, c.Direction), Rules: _chains[c])).ToArray();
        foreach ((string chain, string[]? rules) in chains)
        {
            restore.Append(CultureInfo.InvariantCulture, $":{chain} - [0:0]\n").AppendJoin(string.Empty, (rules ?? []).Select(rule => rule + "\n"));
        }

        string command = IptablesNames.Command(family);
        await RunAsync(failures, $"{command}-restore", ["-w", "--noflush"], restore.Append("COMMIT\n").ToString()).ConfigureAwait(false);
        foreach ((string chain, _) in chains.Where(c => c.Rules is null))
        {
            // It did not exist before: emptied above, and nothing jumps to it any more.
            await RunAsync(failures, command, ["-w", "-X", chain], null).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(List<string> failures, string tool, IReadOnlyList<string> args, string? input)
    {
        try
        {
            ToolOutput output = await tools.RunAsync(tool, args, input, CancellationToken.None).ConfigureAwait(false);
            if (!output.Succeeded)
            {
                failures.Add($"{output.Command}: {output.Complaint}");
            }
        }
        catch (FirewallSyncException ex)
        {
            failures.Add(ex.Message);
        }
    }

    [GeneratedRegex(@"Error in line (\d+)")]
    private static partial Regex ErrorLine();
}
