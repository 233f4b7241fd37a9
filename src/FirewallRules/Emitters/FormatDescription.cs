using FirewallRules.Advice;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>
/// What one format is and can do, declared in the format's own folder and held by the registry beside its factory: its
/// name and one-line summary (from the emitter), the families it holds, its media type, the settings it takes beyond
/// <see cref="EmitterOptions"/>, how those settings make its options, its incremental update, and the notes and
/// warnings it owes whoever applies the output, and what sync can do with it. The command line, the mirror and <c>fwrules formats</c> read it, so a
/// format's abilities are decided in one place.
/// </summary>
/// <param name="Name">The name users type, e.g. <c>nftables</c>.</param>
/// <param name="Summary">One line saying what the output is and how to apply it.</param>
/// <param name="Families">The address families the format can hold.</param>
internal sealed record FormatDescription(string Name, string Summary, AddressFamilies Families)
{
    /// <summary>The media type of the output, without a charset: <c>text/plain</c> unless the output is JSON.</summary>
    public string MediaType { get; init; } = "text/plain";

    /// <summary>The settings the format takes beyond <see cref="EmitterOptions"/>, each with its range and advice.</summary>
    public IReadOnlyList<FormatSetting> Settings { get; init; } = [];

    /// <summary>
    /// The format's options from the shared ones and the values given for <see cref="Settings"/> (the rest keep their
    /// defaults); the shared options themselves when the format takes no setting of its own.
    /// </summary>
    public Func<ConfigureArguments, EmitterOptions> Configure { get; init; } = arguments => arguments.Shared;

    /// <summary>
    /// The incremental update from the rules of an older document to the current ones, with the emitter's options,
    /// written to the output through the render step; it returns the current rules as prepared (what the update leaves
    /// loaded). Null when the format has none and is always rendered whole.
    /// </summary>
    /// <remarks>Throws <see cref="RuleGenerationException"/> when the update cannot be made safely, before writing anything.</remarks>
    public Func<UpdateArguments, RuleSet>? Update { get; init; }

    /// <summary>
    /// What an agent's plan may set on the format (the in-cluster destinations it allows in its own terms, the kubelet's port) and how
    /// it renders what the plan needs beyond addresses, read from its options; null when it renders a plan's rules by address alone.
    /// </summary>
    public AgentPlanTerms? AgentPlan { get; init; }

    /// <summary>What to tell whoever deploys an output of so many UTF-8 bytes (e.g. how to deploy a large template); null when nothing.</summary>
    public Func<long, string?> Note { get; init; } = _ => null;

    /// <summary>
    /// What the output does beyond allowing or denying Datadog's traffic, from the emitter's options and the rules it
    /// rendered, with the settings that leave it out; null when nothing.
    /// </summary>
    public Func<WarningArguments, SettingAdvice?> Warning { get; init; } = _ => null;

    /// <summary>
    /// The kind of private connectivity whose plan's rules the format renders (<c>fwrules privatelink</c>); null when
    /// none. The kind's own description (<see cref="PrivateConnectivityDescription"/>) adds the formats holding its whole plan.
    /// </summary>
    public PrivateConnectivityKind? PrivateConnectivity { get; init; }

    /// <summary>
    /// What <c>fwrules sync</c> can do with the format: load it into this host's firewall, or keep a cloud account in step;
    /// null when sync does not take it.
    /// </summary>
    public SyncCapability? Sync { get; init; }

    /// <summary>
    /// The direction of the sections taken when none is named: egress (what hosts connect to), or ingress for an allow-list of
    /// who calls in (the web servers' formats admit <c>webhooks</c> and <c>synthetics</c>).
    /// </summary>
    public Direction DefaultDirection { get; init; } = Direction.Egress;

    /// <summary>
    /// The description of <paramref name="emitter"/>'s format as the emitter states it (name, summary, families, media
    /// type, deploy note), with the defaults for everything it does not say: where every format's description starts,
    /// built-in or added with <see cref="EmitterRegistry.With"/>.
    /// </summary>
    public static FormatDescription Of(IRuleEmitter emitter) =>
        new(emitter.Format, emitter.Description, emitter.Families) { MediaType = emitter.MediaType, Note = emitter.DeployNote };
}
