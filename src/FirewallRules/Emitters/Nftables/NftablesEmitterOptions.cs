using FirewallRules.Names;

namespace FirewallRules.Emitters.Nftables;

/// <summary>Options of the nftables outputs.</summary>
public sealed class NftablesEmitterOptions : EmitterOptions
{
    /// <summary>The longest table name accepted.</summary>
    internal const int MaxTableLength = 64;
    private string? _table;

    /// <summary>Where the rules go and what they can do; see <see cref="NftablesLayout"/>.</summary>
    /// <value><see cref="NftablesLayout.OwnTable"/>.</value>
    public NftablesLayout Layout { get; init; } = NftablesLayout.OwnTable;

    /// <summary>
    /// The inet table: the one the output owns and replaces, or, for <see cref="NftablesLayout.ExistingTable"/>,
    /// yours that it writes into (it must exist).
    /// </summary>
    /// <value>
    /// Null: <see cref="EmitterOptions.Name"/> for a table of its own, <c>filter</c> (the table of the stock
    /// <c>/etc/nftables.conf</c>) for <see cref="NftablesLayout.ExistingTable"/>. A word nft reserves (<c>ip</c>,
    /// <c>counter</c>, ...) is refused by nft itself, and the file then changes nothing.
    /// </value>
    /// <exception cref="ArgumentException">Not 1 to 64 characters: a letter, then letters, digits, <c>-</c> or <c>_</c>.</exception>
    public string? Table
    {
        get => _table;
        init => _table = value is null ? null : NameRules.RequirePlainName(value, "table", MaxTableLength, nameof(value));
    }

    /// <summary>The table the output writes, with the default applied.</summary>
    internal string TableName => Table ?? (Layout == NftablesLayout.ExistingTable ? "filter" : Name);

    /// <summary>Creates options with the defaults.</summary>
    public NftablesEmitterOptions()
    {
    }

    /// <summary>Creates options with this class's defaults and the settings every emitter shares taken from <paramref name="shared"/>.</summary>
    public NftablesEmitterOptions(EmitterOptions shared)
        : base(shared)
    {
    }

    /// <summary>
    /// These options when <paramref name="options"/> already are nftables options with the same
    /// <paramref name="layout"/>, else a copy of the shared options (and any table) with it.
    /// </summary>
    internal static NftablesEmitterOptions From(EmitterOptions? options, NftablesLayout layout)
    {
        options ??= new EmitterOptions();
        return options is NftablesEmitterOptions own
            ? own.Layout == layout ? own : new(own) { Layout = layout, Table = own.Table }
            : new(options) { Layout = layout };
    }
}
