using FirewallRules.Emitters;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;

namespace FirewallRules.Cli.Commands;

/// <summary>
/// The formats <c>generate --update-from</c> writes an incremental update for, and how each writes it: the nftables
/// formats (element changes in one nft transaction) and <c>ipset</c> (checks that change nothing, then <c>add</c> and
/// <c>del</c> with <c>-exist</c>). The one place that decides which formats have an update.
/// </summary>
internal static class UpdateFormats
{
    private static readonly string Ipset = ((IRuleEmitter)new IpsetEmitter()).Format;

    /// <summary>Whether <paramref name="emitter"/>'s format has an incremental update.</summary>
    public static bool Has(IRuleEmitter emitter) => Updater(emitter) is not null;

    /// <summary>The update of <paramref name="emitter"/>'s format from <paramref name="previous"/> to <paramref name="rules"/>.</summary>
    /// <exception cref="RuleGenerationException">The library refuses the update (a change of shape, or one it cannot make safely).</exception>
    /// <exception cref="InvalidOperationException">The format has no update (<see cref="Has"/> is false).</exception>
    public static string Render(IRuleEmitter emitter, RuleSet rules, RuleSet previous) =>
        (Updater(emitter) ?? throw new InvalidOperationException($"{emitter.Format} has no incremental update"))(rules, previous);

    private static Func<RuleSet, RuleSet, string>? Updater(IRuleEmitter emitter) => emitter.Options switch
    {
        NftablesEmitterOptions nftables => (rules, previous) => rules.ToNftablesUpdate(previous, nftables),
        IptablesEmitterOptions ipset when emitter.Format == Ipset => (rules, previous) => rules.ToIpsetUpdate(previous, ipset),
        _ => null,
    };
}
