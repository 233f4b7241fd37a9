using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The shipped units as they run: each format's sync under <c>setpriv</c> with exactly the capabilities the unit grants
/// (root, every other capability dropped from the bounding set), in a throwaway namespace; the boot unit loads from the
/// cache with no request; the timer runs on a calendar, which <c>Persistent=</c> needs.
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class DeploymentCapabilityTests
{
    private static string Units => Path.Combine(TestData.RepositoryRoot, "deploy", "systemd");

    [TestCase("nftables")]
    [TestCase("nftables-strict")]
    [TestCase("iptables-ipset-script")]
    public async Task SyncService_UnderExactlyTheUnitsCapabilities_LoadsEachFormat(string format)
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft", "ipset", "setpriv");
        string caps = UnitCapabilities("fwrules-sync.service");

        ToolResult run = Confined(host, caps, format);

        Assert.That(run.ExitCode, Is.Zero, $"{caps}: {run.Error}");
        Assert.That(run.Output, Does.StartWith("sync: applied ip-ranges version 47 "));
    }

    [Test]
    public async Task IpsetFormat_WithOnlyNetAdmin_FailsAsTheOldUnitDid()
    {
        await using SyncHost host = await SyncHost.StartAsync(47, "nft", "ipset", "setpriv");

        ToolResult run = Confined(host, "+net_admin", "iptables-ipset-script");

        Assert.That(run.ExitCode, Is.Not.Zero, "CAP_NET_RAW is needed: the unit must grant it");
        Assert.That(run.Error, Does.Contain("Can't open socket to ipset"));
    }

    [Test]
    public void BootService_LoadsTheCacheOfflineBeforeTheNetworkIsOnline()
    {
        string boot = File.ReadAllText(Path.Combine(Units, "fwrules-boot.service"));

        Assert.That(ExecStart().Match(boot).Groups[1].Value, Does.Contain(" sync --offline "));
        Assert.That(boot, Does.Match("(?m)^Before=.*network-online.target"));
        Assert.That(boot, Does.Match("(?m)^WantedBy=multi-user.target$"));
        Assert.That(UnitCapabilities("fwrules-boot.service"), Is.EqualTo(UnitCapabilities("fwrules-sync.service")));
    }

    [Test]
    public void Timer_PersistentComesWithACalendarAndNoBootDelay()
    {
        string timer = File.ReadAllText(Path.Combine(Units, "fwrules-sync.timer"));

        Assert.That(timer, Does.Match("(?m)^Persistent=true$").And.Match("(?m)^OnCalendar=.+$"));
        Assert.That(timer, Does.Not.Contain("OnBootSec"), "the boot is fwrules-boot.service's, at once");
    }

    /// <summary>Runs the sync as root with only <paramref name="caps"/> in the bounding set (so in every set).</summary>
    private static ToolResult Confined(SyncHost host, string caps, string format) =>
        host.Namespace.Exec("setpriv", [$"--bounding-set=-all,{caps}", "--inh-caps=-all", "--",
            "env", $"PATH={IptablesShim.Path(host.Directory)}", host.Tool, "sync", .. host.Common, "--format", format, "--section", "logs", "--retries", "0"]);

    /// <summary>The unit's CapabilityBoundingSet as setpriv spells it: <c>+net_admin,+net_raw</c>; it must equal AmbientCapabilities.</summary>
    private static string UnitCapabilities(string unit)
    {
        string text = File.ReadAllText(Path.Combine(Units, unit));
        string bounding = Regex.Match(text, "(?m)^CapabilityBoundingSet=(.+)$").Groups[1].Value;
        Assert.That(Regex.Match(text, "(?m)^AmbientCapabilities=(.+)$").Groups[1].Value, Is.EqualTo(bounding), unit);
        return string.Join(',', bounding.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(cap => "+" + cap["CAP_".Length..].ToLowerInvariant()));
    }

    [GeneratedRegex(@"^ExecStart=(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExecStart();
}
