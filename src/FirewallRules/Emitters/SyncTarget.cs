namespace FirewallRules.Emitters;

/// <summary>A format <c>fwrules sync</c> keeps in step, by the name users type, with what sync can do with it.</summary>
/// <param name="Format">The name users type, e.g. <c>nftables</c> or <c>aws-prefix-list</c>.</param>
/// <param name="Capability">A host backend or a cloud target (<see cref="SyncCapability"/>).</param>
internal sealed record SyncTarget(string Format, SyncCapability Capability);
