using FirewallRules.Advice;
using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Haproxy;

/// <summary>The <c>haproxy</c> format as the registry describes it: its trusted proxies, the PROXY protocol, and its sync.</summary>
internal static class HaproxyFormats
{
    /// <summary>An ACL file for a frontend of HAProxy.</summary>
    public const string Haproxy = "haproxy";

    private static FormatSetting ProxyProtocol { get; } = FormatSetting.Switch(
        SettingNames.Of<HaproxyOptions>(nameof(HaproxyOptions.ProxyProtocol)), "--proxy-protocol",
        "haproxy: the trusted proxies give the client's address in the PROXY protocol (expected from them only), not in X-Forwarded-For.");

    /// <summary>Adds <c>haproxy</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new HaproxyEmitter(HaproxyOptions.From(o)), format => format with
        {
            DefaultDirection = Direction.Ingress,
            Settings = [WebServerSettings.TrustedProxies, ProxyProtocol],
            Configure = Configure,
            Sync = WebServerSettings.Sync(3, "HAProxy", new ServerFile(
                "/etc/haproxy/datadog.acl", "haproxy -c -f /etc/haproxy/haproxy.cfg", "systemctl reload haproxy"), Configure),
        });

    private static HaproxyOptions Configure(ConfigureArguments arguments) =>
        new(WebServerSettings.Configure(arguments)) { ProxyProtocol = arguments.Given.Switch(ProxyProtocol) };
}
