using System.Collections.Immutable;

namespace FirewallRules.Emitters;

/// <summary>
/// Emitters by format name, so tools can offer every target, including ones users add:
/// <c>EmitterRegistry.Default.With("mine", "...", options => new MyEmitter(options))</c>.
/// </summary>
/// <remarks>Immutable and thread-safe; <see cref="With"/> returns a new registry.</remarks>
public sealed class EmitterRegistry
{
    private readonly ImmutableSortedDictionary<string, Entry> _entries;

    private EmitterRegistry(ImmutableSortedDictionary<string, Entry> entries) => _entries = entries;

    /// <summary>An empty registry.</summary>
    public static EmitterRegistry Empty { get; } = new(ImmutableSortedDictionary.Create<string, Entry>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Every emitter this library ships.</summary>
    public static EmitterRegistry Default { get; } = BuiltIn.Register(Empty);

    /// <summary>The registered formats and their descriptions, sorted by name.</summary>
    public IReadOnlyList<(string Format, string Description)> Formats =>
        _entries.Select(e => (e.Key, e.Value.Summary)).ToArray();

    /// <summary>Every registered format's description (<see cref="FormatDescription"/>), sorted by name.</summary>
    internal IEnumerable<FormatDescription> Descriptions => _entries.Values.Select(e => e.Description.Value);

    /// <summary>
    /// The formats <c>fwrules sync</c> keeps in step, as their folders declare them (<see cref="FormatDescription.Sync"/>,
    /// and the cloud targets that are no output format, such as <c>aws-prefix-list</c>): host backends first, then the files
    /// servers read, then cloud targets, each kind by rank, then by name.
    /// </summary>
    internal IEnumerable<SyncTarget> SyncTargets => Descriptions.Where(d => d.Sync is not null).Select(d => new SyncTarget(d.Name, d.Sync!))
        .Concat(BuiltIn.SyncOnly)
        .OrderBy(t => !t.Capability.IsHost ? 2 : t.Capability.ServerFile is null ? 0 : 1).ThenBy(t => t.Capability.Rank).ThenBy(t => t.Format, StringComparer.Ordinal);

    /// <summary>What sync can do with <paramref name="format"/> (case-sensitive, as sync's choices are); null when it does not take it.</summary>
    internal SyncCapability? DescribeSync(string format) => SyncTargets.FirstOrDefault(t => t.Format == format)?.Capability;

    /// <summary>A registry that also (or instead, for an existing name) knows <paramref name="format"/>.</summary>
    /// <param name="format">The name users type, e.g. <c>nftables</c>.</param>
    /// <param name="description">One line for listings such as <c>fwrules formats</c>.</param>
    /// <param name="create">Makes the emitter from the shared options (platform options classes derive from <see cref="EmitterOptions"/>).</param>
    /// <remarks>
    /// The format is described as the built-in ones are, from an emitter made with the default options when first asked:
    /// its families, <see cref="IRuleEmitter.MediaType"/> (what <c>fwrules serve</c> sends) and
    /// <see cref="IRuleEmitter.DeployNote"/>, under the name and description given here.
    /// </remarks>
    public EmitterRegistry With(string format, string description, Func<EmitterOptions, IRuleEmitter> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(create);
        return new(_entries.SetItem(format, new Entry(description,
            new(() => FormatDescription.Of(create(new EmitterOptions())) with { Name = format, Summary = description }), create)));
    }

    /// <summary>
    /// A registry that also knows the format <paramref name="create"/> makes, described by its emitter and then by
    /// <paramref name="describe"/> (media type, settings, update, notes): how each built-in format declares what it can do.
    /// </summary>
    internal EmitterRegistry WithBuiltIn(Func<EmitterOptions, IRuleEmitter> create, Func<FormatDescription, FormatDescription>? describe = null)
    {
        // The name, summary and families come from the emitter itself, so they cannot drift apart.
        IRuleEmitter sample = create(new EmitterOptions());
        FormatDescription description = FormatDescription.Of(sample);
        description = describe?.Invoke(description) ?? description;
        return new(_entries.SetItem(description.Name, new Entry(description.Summary, new(description), create)));
    }

    /// <summary>What <paramref name="format"/> is and can do.</summary>
    /// <exception cref="KeyNotFoundException">The format is not registered; the message lists the ones that are.</exception>
    internal FormatDescription Describe(string format) => Find(format).Description.Value;

    /// <summary>What the kind of private connectivity <paramref name="kind"/> renders as, as its cloud's folder describes it.</summary>
    internal static PrivateConnectivityDescription DescribePrivateConnectivity(PrivateLink.PrivateConnectivityKind kind) =>
        BuiltIn.PrivateConnectivity.Single(description => description.Kind == kind);

    /// <summary>Whether <paramref name="format"/> allows host names, not addresses (<see cref="IByNameEmitter"/>): its output needs no document.</summary>
    /// <exception cref="KeyNotFoundException">The format is not registered.</exception>
    internal bool AllowsNames(string format) => Create(format) is IByNameEmitter;

    /// <summary>Whether <paramref name="format"/> is registered (case-insensitive).</summary>
    public bool Contains(string format) => _entries.ContainsKey(format);

    /// <summary>Creates the emitter for <paramref name="format"/>.</summary>
    /// <exception cref="KeyNotFoundException">The format is not registered; the message lists the ones that are.</exception>
    public IRuleEmitter Create(string format, EmitterOptions? options = null) => Find(format).Create(options ?? new EmitterOptions());

    private Entry Find(string format) =>
        _entries.TryGetValue(format, out Entry? entry)
            ? entry
            : throw new KeyNotFoundException($"unknown format '{format}': use one of {string.Join(", ", _entries.Keys)}");

    // A format added through the public With is described from its emitter when first asked (not when registered).
    private sealed record Entry(string Summary, Lazy<FormatDescription> Description, Func<EmitterOptions, IRuleEmitter> Create);
}
