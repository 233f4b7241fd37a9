using FirewallRules.Names;
using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>Options every emitter understands. Platform options classes derive from it.</summary>
public class EmitterOptions
{
    private const int MaxNameLength = 20;
    private string _name = "datadog";

    /// <summary>Creates options with the defaults.</summary>
    public EmitterOptions()
    {
    }

    /// <summary>
    /// Creates options with the settings every emitter shares copied from <paramref name="shared"/>:
    /// how a platform's options class takes over what the command line or a caller set for all emitters.
    /// </summary>
    protected EmitterOptions(EmitterOptions shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        _name = shared.Name;
        Comments = shared.Comments;
        Families = shared.Families;
        MaxPrefixesPerRule = shared.MaxPrefixesPerRule;
    }

    /// <summary>
    /// The prefix of every name the output creates (table, chain, set, group, rule), so its objects are
    /// recognisable and replaced together.
    /// </summary>
    /// <value><c>datadog</c>. 1 to 20 characters: a letter, then letters, digits, <c>-</c> or <c>_</c>.</value>
    /// <exception cref="ArgumentException">The name holds anything else: names reach scripts unquoted in places.</exception>
    public string Name
    {
        get => _name;
        init => _name = NameRules.RequirePlainName(value, "name", MaxNameLength, nameof(value));
    }

    /// <summary>Whether to write comments (provenance header, per-rule descriptions) where the format has them.</summary>
    /// <value><see langword="true"/>.</value>
    public bool Comments { get; init; } = true;

    /// <summary>Which address families to render.</summary>
    /// <value><see cref="AddressFamilies.Both"/> (formats that hold one family, such as ip6tables, fix it themselves).</value>
    public AddressFamilies Families { get; init; } = AddressFamilies.Both;

    /// <summary>
    /// At most this many prefixes per address family in each rule: longer lists are summarised optimally,
    /// allowing the fewest extra addresses (reported in the output and by <see cref="RuleSet.ExtraIPv4Addresses"/>).
    /// </summary>
    /// <value>Null: no budget; platform limits are met by splitting instead.</value>
    public int? MaxPrefixesPerRule { get; init; }

    /// <summary>Whether <paramref name="name"/> may be used as <see cref="Name"/>.</summary>
    public static bool IsValidName(string? name) => NameRules.IsPlainName(name, MaxNameLength);
}
