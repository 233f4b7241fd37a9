using FirewallRules.Advice;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;

namespace FirewallRules.Sync;

/// <summary>
/// Loads the nftables output with <c>nft -f</c>: one kernel transaction, so the whole file applies or none of it does.
/// When the kernel holds exactly the rules last loaded, only the changed elements are sent (the incremental update), so
/// counters and the sets themselves stay; otherwise the full output replaces the table or refills the sets and chains.
/// </summary>
internal sealed class NftablesBackend(NftablesEmitterOptions options, FirewallTools tools) : IFirewallBackend
{
    public string Target => options.Layout == NftablesLayout.ExistingTable
        ? $"the {options.Name}-* sets and chains of table inet {options.TableName}"
        : $"table inet {options.TableName}";

    /// <summary>Whether the table is the sync's own (nftables, nftables-strict), which it replaces as a whole.</summary>
    public bool OwnsTable => options.Layout != NftablesLayout.ExistingTable;

    public Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken) => ReadTableAsync(cancellationToken);

    public bool Holds(RuleSet rules, string listing)
    {
        if (listing.StartsWith("absent: ", StringComparison.Ordinal))
        {
            return false;
        }

        // A table of yours holds this sync's rules only once its sets or chains are there.
        return OwnsTable || listing.Split('\n').Select(line => line.Trim())
            .Any(line => line.StartsWith($"set {options.Name}-", StringComparison.Ordinal) || line.StartsWith($"chain {options.Name}-", StringComparison.Ordinal));
    }

    /// <summary>The table's listing without counters (whatever the rules), or <c>absent: ...</c>.</summary>
    /// <exception cref="FirewallSyncException">nft cannot read the firewall.</exception>
    public async Task<string> ReadTableAsync(CancellationToken cancellationToken)
    {
        // -s (stateless) leaves out counters, which change with every packet.
        ToolOutput listed = await tools.RunAsync("nft", ["-s", "list", "table", "inet", options.TableName], null, cancellationToken).ConfigureAwait(false);
        if (listed.Succeeded)
        {
            return listed.Output;
        }

        return listed.Error.Contains("No such file or directory", StringComparison.Ordinal)
            ? $"absent: table inet {options.TableName}\n"
            : throw new FirewallSyncException($"cannot read the firewall: {listed.Command}: {listed.Complaint}") { ToolKilled = listed.Killed };
    }

    /// <remarks>
    /// <c>nft -f</c> is one transaction and the run holds the lock: a listing changed since before the load is the load
    /// committed. Its rules' comments then name the version loaded (and no other), and every set the rules load lists
    /// exactly their prefixes: the comments alone would also match a table refilled by hand, or by another tool, under that version.
    /// </remarks>
    public bool InForce(RuleSet rules, string listing, string before) =>
        listing != before && rules.Provenance.Version is long version && NetfilterVersions.Named(listing) is [long only] && only == version
        && rules.Render(new NftablesEmitter(options), prepared => NftablesTable.For(options).Sets(prepared.Rules).ToArray())
            .All(set => NftablesListing.SetElements(listing, set.Name) is { } held && held.Equals(set.Prefixes));

    public IReadOnlyList<HeldSet>? Held(RuleSet rules, string listing)
    {
        bool absent = listing.StartsWith("absent: ", StringComparison.Ordinal);
        var held = new List<HeldSet>();
        foreach (NftablesSet set in rules.Render(new NftablesEmitter(options), prepared => NftablesTable.For(options).Sets(prepared.Rules).ToArray()))
        {
            PrefixSet? elements = absent || !listing.Contains($"set {set.Name} {{", StringComparison.Ordinal)
                ? PrefixSet.Empty
                : NftablesListing.SetElements(listing, set.Name);
            if (elements is null)
            {
                return null;
            }

            held.Add(new HeldSet(set.Rule, elements));
        }

        return held;
    }

    public async Task ApplyAsync(RuleSet rules, RuleSet? loaded, CancellationToken cancellationToken)
    {
        if (options.Layout == NftablesLayout.ExistingTable
            && (await ReadKernelAsync(rules, cancellationToken).ConfigureAwait(false)).StartsWith("absent: ", StringComparison.Ordinal))
        {
            // nft itself says only "/dev/stdin:13:14-19: Error: No such file or directory".
            throw new FirewallSyncException(new SettingAdvice(
                $"table inet {options.TableName} does not exist: nftables-chain adds its sets and chains to a table of yours, which must exist first " +
                $"(create it with: nft add table inet {options.TableName}; then jump to {options.Name}-egress from a base chain of it), " +
                "or use {0} for a table of its own; nothing was changed", SyncAdvice.OwnTableFormat));
        }

        string? text = Update(rules, loaded);
        if (text is null || !(await CheckAsync(text, cancellationToken).ConfigureAwait(false)).Succeeded)
        {
            text = rules.ToNftables(options);
            ToolOutput check = await CheckAsync(text, cancellationToken).ConfigureAwait(false);
            if (!check.Succeeded)
            {
                throw new FirewallSyncException(check.Killed
                    ? $"nft -c was {check.Complaint} while checking the rules for {Target}; nothing was changed"
                    : $"nft refused the rules for {Target} (nft -c): {check.Complaint}; nothing was changed") { ToolKilled = check.Killed };
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        ToolOutput applied = await tools.RunAsync("nft", ["-f", "-"], text, CancellationToken.None).ConfigureAwait(false);
        if (!applied.Succeeded)
        {
            throw applied.Killed
                ? new FirewallSyncException($"nft -f was {applied.Complaint} while loading the rules into {Target}") { ToolKilled = true }
                : new FirewallSyncException($"nft could not apply the rules to {Target}: {applied.Complaint}; the transaction was not committed, so the " +
                    $"previous rules stay in force");
        }
    }

    private string? Update(RuleSet rules, RuleSet? loaded)
    {
        if (loaded is null)
        {
            return null;
        }

        try
        {
            return rules.ToNftablesUpdate(loaded, options);
        }
        catch (RuleGenerationException)
        {
            // The shape changed (a set appears or goes): elements alone cannot say that; the full output can.
            return null;
        }
    }

    private Task<ToolOutput> CheckAsync(string text, CancellationToken cancellationToken) =>
        tools.RunAsync("nft", ["-c", "-f", "-"], text, cancellationToken);
}
