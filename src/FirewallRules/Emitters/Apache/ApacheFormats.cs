using FirewallRules.Advice;
using FirewallRules.Emitters.WebServer;

namespace FirewallRules.Emitters.Apache;

/// <summary>The <c>apache</c> format as the registry describes it: its trusted proxies, the location it guards, and its sync.</summary>
internal static class ApacheFormats
{
    /// <summary>An include for a virtual host of Apache httpd 2.4.</summary>
    public const string Apache = "apache";

    private static FormatSetting Location { get; } = FormatSetting.Text(
        SettingNames.Of<ApacheOptions>(nameof(ApacheOptions.Location)), "--location", "PATH", value => _ = new ApacheOptions { Location = value },
        "apache: the URL path the <Location> guards with everything under it, e.g. /hooks/ (which guards /hooks too).") with { Default = new ApacheOptions().Location };

    /// <summary>Adds <c>apache</c>.</summary>
    public static EmitterRegistry Register(EmitterRegistry registry) => registry
        .WithBuiltIn(o => new ApacheEmitter(ApacheOptions.From(o)), format => format with
        {
            DefaultDirection = Direction.Ingress,
            Settings = [WebServerSettings.TrustedProxies, Location],
            Configure = Configure,
            Sync = WebServerSettings.Sync(2, "Apache httpd", new ServerFile("/etc/apache2/datadog-allow.conf", "apache2ctl configtest", "systemctl reload apache2"), Configure),
        });

    private static ApacheOptions Configure(ConfigureArguments arguments) =>
        new(WebServerSettings.Configure(arguments)) { Location = arguments.Given.Text(Location) ?? new ApacheOptions().Location };
}
