using FirewallRules.Rules;

namespace FirewallRules.Emitters;

/// <summary>How a format allows destinations no published address names (<see cref="FormatDescription.InCluster"/>).</summary>
/// <param name="Setting">The names setting that turns them on, by agent feature.</param>
/// <param name="Features">The features it takes, with the ports it allows each on by default.</param>
/// <param name="PortSettings">The number settings that move a feature's one TCP port, by feature.</param>
internal sealed record InClusterSettings(
    FormatSetting Setting, IReadOnlyDictionary<string, IReadOnlyList<PortRange>> Features, IReadOnlyDictionary<string, FormatSetting> PortSettings);
