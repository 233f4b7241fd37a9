using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Squid for real with a plan whose metrics go to a relay given by its address (<c>dd_url: https://10.77.0.2:8443</c>) through the
/// proxy: the agent's CONNECT to that address and port gets through with the generated include; another address, or the relay on
/// another port, is refused (403).
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SquidAddressRelayTests
{
    [Test]
    public void Squid_RelayGivenByAddress_ConnectToItGetsThrough_OtherAddressesAndPortsRefused()
    {
        LinuxTools.Require("ip", "ss", "squid", "curl");
        string include = PlanRules.ByName(AgentConfiguration.Parse("dd_url: https://10.77.0.2:8443\n" +
            "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, TestAgent.Version)).Render(EmitterRegistry.Default.Create("squid"));
        using var ns = NetworkNamespace.Create();
        ns.Exec("ip", "addr", "add", "10.77.0.2/24", "dev", "lo");
        ns.Exec("ip", "addr", "add", "10.77.0.3/24", "dev", "lo");
        using var squid = SquidInNamespace.Start(ns, include, ["unused.example"]);
        using var intake = new IntakeListeners(ns, [8443, 8444]);

        Assert.That(Connect(ns, "10.77.0.2:8443"), Is.EqualTo("200"), "the agent's CONNECT to its relay");
        Assert.That(Connect(ns, "10.77.0.3:8443"), Is.EqualTo("403"), "another address on the relay's port");
        Assert.That(Connect(ns, "10.77.0.2:8444"), Is.EqualTo("403"), "the relay's address on another port");
    }

    [TestCase("10.77.0.2", "10.77.0.2")]
    [TestCase("[fd77::2]", "[fd77:0:0::2]")]
    public void Squid_RelayGivenByAddress_ConnectToANameResolvingToItRefused(string relay, string otherSpelling)
    {
        // A dst acl matches the address a name resolves to: anyone who controls a DNS record (or squid's resolver) could reach
        // the relay's address and port under any name. Only the address itself, however it is spelled, is the plan.
        LinuxTools.Require("ip", "ss", "squid", "curl");
        string include = PlanRules.ByName(AgentConfiguration.Parse($"dd_url: https://{relay}:8443\n" +
            "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, TestAgent.Version)).Render(EmitterRegistry.Default.Create("squid"));
        using var ns = NetworkNamespace.Create();
        ns.Exec("ip", "addr", "add", "10.77.0.2/24", "dev", "lo");
        ns.Exec("ip", "addr", "add", "fd77::2/64", "dev", "lo", "nodad");
        string address = relay.Trim('[', ']');
        using var squid = SquidInNamespace.Start(ns, include, ["relay.example", "2.0.77.10.example", "999.999.999.999"], address);
        using var intake = new IntakeListeners(ns, [8443]);

        Assert.That(Connect(ns, $"{relay}:8443"), Is.EqualTo("200"), "the agent's CONNECT to its relay's address");
        Assert.That(Connect(ns, $"{otherSpelling}:8443"), Is.EqualTo("200"), "the same address spelt otherwise");
        Assert.That(Connect(ns, "relay.example:8443"), Is.EqualTo("403"), "a name that resolves to the relay's address");
        Assert.That(Connect(ns, "2.0.77.10.example:8443"), Is.EqualTo("403"), "a name made of the address's digits");
        Assert.That(Connect(ns, "999.999.999.999:8443"), Is.EqualTo("403"), "a name that looks like an address and resolves to it");
    }

    [Test]
    public void Squid_ConnectByAddressWhoseReverseNameIsAllowed_Refused()
    {
        // dstdomain without -n looks an address up in reverse and matches its name: anyone who controls an address's PTR record
        // (1-2-3-app.agent.datadoghq.com) would get through. squid's hosts_file answers the reverse lookup here.
        LinuxTools.Require("ip", "ss", "squid", "curl");
        string include = PlanRules.ByName(AgentConfiguration.Parse("dd_url: https://relay.internal:8443\n" +
            "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, TestAgent.Version)).Render(EmitterRegistry.Default.Create("squid"));
        using var ns = NetworkNamespace.Create();
        using var squid = SquidInNamespace.Start(ns, include, ["relay.internal"]);
        using var intake = new IntakeListeners(ns, [8443]);

        Assert.That(Connect(ns, "relay.internal:8443"), Is.EqualTo("200"), "the agent's CONNECT to its relay by name");
        Assert.That(Connect(ns, $"{SquidInNamespace.IntakeAddress}:8443"), Is.EqualTo("403"), "an address whose reverse name is the relay's");
    }

    private static string Connect(NetworkNamespace ns, string target) =>
        ns.Exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_connect}", "--proxytunnel", "-x", "http://127.0.0.1:3128", "--max-time", "30", $"https://{target}/")
            .Output.Trim();
}
