using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Without <c>no_proxy_nonexact_match</c> the agent compares each no_proxy entry with the URL's host as written
/// (GetProxyTransportFunc, pkg/util/http/transport.go): a suffix, a wildcard, a CIDR or a host on its default port never
/// matches, and the plan says which entries and what setting makes them work.
/// </summary>
[TestFixture]
public class NoProxyExactNoteTests
{
    private const string Proxy = "proxy:\n  https: http://proxy.corp.example:3128\n  no_proxy:\n  - .internal\n  - 10.5.0.0/16\n  - host:443\n  - relay.internal:8443\n";

    [Test]
    public void Plan_ExactMatchWithEntriesThatNeverMatch_NamesThemAndTheSetting()
    {
        AgentPlan plan = AgentConfiguration.Parse(Proxy);

        Assert.That(plan.Notes.Texts().Single(n => n.StartsWith("no_proxy:", StringComparison.Ordinal)),
            Does.StartWith("no_proxy: .internal, 10.5.0.0/16, host:443 never match").And.Contain("no_proxy_nonexact_match: true").And.Not.Contain("relay.internal"));
    }

    [Test]
    public void Plan_NonExactMatch_HasNoSuchNote()
    {
        AgentPlan plan = AgentConfiguration.Parse(Proxy + "no_proxy_nonexact_match: true\n");

        Assert.That(plan.Notes.Texts(), Has.None.StartsWith("no_proxy:"));
    }
}
