using FirewallRules.Advice;

namespace FirewallRules.Emitters.Gcp;

/// <summary>The Google Cloud firewall formats as the registry describes them: the deny priority they take.</summary>
/// <remarks>Their other settings (network, targets, priority, ranges per rule) are bound by the command line's target options for now.</remarks>
internal static class GcpFormats
{
    private static FormatSetting DenyPriority { get; } = FormatSetting.Number(
        SettingNames.Of<GcpFirewallOptions>(nameof(GcpFirewallOptions.DenyPriority)), 0, 65535,
        "gcp-firewall and terraform-gcp (0-65535, default 65534): the same.");

    /// <summary>Adds <c>gcp-firewall</c> and <c>terraform-gcp</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new GcloudFirewallEmitter(GcpFirewallOptions.From(o)), Describe)
        .WithBuiltIn(o => new TerraformGcpEmitter(GcpFirewallOptions.From(o)), Describe);

    private static FormatDescription Describe(FormatDescription format) => format with { Settings = [DenyPriority] };
}
