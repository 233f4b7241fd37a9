using System.Text.RegularExpressions;

namespace FirewallRules.Sync;

/// <summary>
/// Who else owns what a sync would replace. fwrules' listener protection (<c>fwrules generate --agent</c>) and the
/// Datadog allow-list share the default name (<c>table inet datadog</c>, the <c>datadog-*</c> chains), and each output
/// replaces what its name owns; a sync that found the listener protection there would silently remove it. Its rules carry
/// their sources in their comments (<c>... for datadog:dogstatsd</c>: an agent and a feature), which the kernel keeps;
/// without comments, its loopback sources give it away (Datadog's ranges are public addresses).
/// </summary>
internal static partial class TableOwnership
{
    /// <summary>Refuses to replace a listener protection the sync was not asked to own (<c>sync --agent</c>).</summary>
    /// <param name="kernel">The kernel's listing of what the sync would replace.</param>
    /// <param name="target">What that is, for the message.</param>
    /// <param name="ownsListeners">Whether this sync loads the listener protection itself.</param>
    /// <exception cref="FirewallSyncException">The listing holds listener-protection rules and the sync does not own them.</exception>
    public static void Check(string kernel, string target, bool ownsListeners)
    {
        if (ownsListeners)
        {
            return;
        }

        const string Remedy = "to sync so that one run keeps both, or give one of them another --name; the firewall was left as it was";
        if (ListenerSource().Match(kernel) is { Success: true } found)
        {
            string agent = found.Groups["agent"].Value;
            throw new FirewallSyncException(
                $"{target} {TargetWording.Holds(target)} fwrules' listener protection (rules for {found.Groups["source"].Value}, from 'fwrules generate --agent " +
                $"{agent}'), which this sync would replace: " +
                $"add --agent {agent} (with its --feature and --open) {Remedy}");
        }

        // Without comments (--no-comments) the agent is not named, but Datadog's ranges are public addresses: a loopback
        // address can only be the listener protection's (LocalListenerRules always admits 127.0.0.1 and ::1).
        if (LoopbackAddress().IsMatch(kernel))
        {
            throw new FirewallSyncException(
                $"{target} {TargetWording.Holds(target)} fwrules' listener protection (rules admitting loopback, from 'fwrules generate --agent', written " +
                $"without comments), which this sync would replace: " +
                $"add --agent AGENT (with its --feature and --open) {Remedy}");
        }
    }

    // A rule comment naming an agent's listener as its source: "... on 8125/udp for datadog:dogstatsd".
    [GeneratedRegex(@" for (?<source>(?<agent>[a-z0-9][a-z0-9-]*):[a-z0-9][a-z0-9-]*)\b")]
    private static partial Regex ListenerSource();

    // 127.0.0.1 or ::1 as an address of its own (a set element, a rule's -s), as nft, ipset and iptables list them.
    [GeneratedRegex(@"(?<![\w:.])(?:127\.0\.0\.1|::1)(?![\w:.])")]
    private static partial Regex LoopbackAddress();
}
