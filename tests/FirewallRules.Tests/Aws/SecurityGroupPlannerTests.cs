using FirewallRules.Aws;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Aws;

/// <summary>The security-group planner against hand-made groups: what it revokes, what it keeps, and its order near the quota.</summary>
[TestFixture]
public sealed class SecurityGroupPlannerTests
{
    private static readonly AwsSecurityGroupRule Foreign = new(true, "tcp", 9999, 9999, "198.51.100.0/24");

    [Test]
    public void Plan_OwnedRuleNoLongerWanted_IsRevokedAndAForeignRuleNeverIs()
    {
        GroupState group = Group(Owned("192.0.2.0/24"), Owned("192.0.2.0/24", 10516), new ExistingRule("sgr-f", Foreign, false),
            new ExistingRule("sgr-d", new(true, "-1", -1, -1, "0.0.0.0/0"), false));

        GroupPlan plan = SecurityGroupPlanner.Plan(group, Wanted("203.0.113.0/24"), 60);

        Assert.That(plan.AddFirst.Select(w => w.Rule.Target), Is.EqualTo(new[] { "203.0.113.0/24" }));
        Assert.That(plan.Revoke.Select(r => r.RuleId), Is.EquivalentTo(new[] { "sgr-192.0.2.0/24-443", "sgr-192.0.2.0/24-10516" }));
        Assert.That(plan.AddAfter, Is.Empty);
        Assert.That(plan.ToChange() is { DefaultEgressOpen: true, Foreign: 2, Owned: 1 });
    }

    [Test]
    public void Plan_OwnedRuleKeepingItsTargetButLosingItsPort_IsRevokedAndThePortStillWantedIsKept()
    {
        // 443 and 10516 to a CIDR and to a list; the plan wants only 443 to each (logs dropped, another section keeping the target).
        GroupState group = Group(Owned("192.0.2.0/24"), Owned("192.0.2.0/24", 10516), Owned("pl-0123456789abcdef0"), Owned("pl-0123456789abcdef0", 10516));
        WantedRule[] wanted = [.. Wanted("192.0.2.0/24", "pl-0123456789abcdef0")];

        GroupPlan plan = SecurityGroupPlanner.Plan(group, wanted, 60);

        Assert.That(plan.Revoke.Select(r => r.RuleId), Is.EquivalentTo(new[] { "sgr-192.0.2.0/24-10516", "sgr-pl-0123456789abcdef0-10516" }));
        Assert.That(plan.AddFirst.Concat(plan.AddAfter), Is.Empty);
        Assert.That(plan.ToChange().Owned, Is.EqualTo(2));
    }

    [Test]
    public void Plan_OwnedRuleKeepingTargetAndPortButNotItsDirectionOrProtocol_IsRevokedAndTheWantedOneAdded()
    {
        // Held: egress tcp 443 and egress udp 443 to the CIDR; wanted: ingress tcp 443 to the same CIDR.
        var udp = new ExistingRule("sgr-udp", new(true, "udp", 443, 443, "192.0.2.0/24"), true);
        WantedRule inbound = new(new(false, "tcp", 443, 443, "192.0.2.0/24"), "fwrules:n webhooks", 1, AddressFamilies.IPv4);

        GroupPlan plan = SecurityGroupPlanner.Plan(Group(Owned("192.0.2.0/24"), udp), [inbound], 60);

        Assert.That(plan.Revoke.Select(r => r.RuleId), Is.EquivalentTo(new[] { "sgr-192.0.2.0/24-443", "sgr-udp" }));
        Assert.That(plan.AddFirst.Concat(plan.AddAfter).Select(w => w.Rule), Is.EqualTo(new[] { new AwsSecurityGroupRule(false, "tcp", 443, 443, "192.0.2.0/24") }));
    }

    [Test]
    public void Plan_IngressRulesOnly_DoesNotCallTheDefaultEgressOpen()
    {
        var allowAll = new ExistingRule("sgr-d", new(true, "-1", -1, -1, "0.0.0.0/0"), false);
        WantedRule inbound = new(new(false, "tcp", 443, 443, "203.0.113.0/24"), "fwrules:n webhooks", 1, AddressFamilies.IPv4);

        AwsSecurityGroupChange ingressOnly = SecurityGroupPlanner.Plan(Group(allowAll), [inbound], 60).ToChange();
        AwsSecurityGroupChange egressGoing = SecurityGroupPlanner.Plan(Group(allowAll, Owned("192.0.2.0/24")), [inbound], 60).ToChange();
        AwsSecurityGroupChange egressKept = SecurityGroupPlanner.Plan(Group(allowAll, Owned("192.0.2.0/24")), [inbound, .. Wanted("192.0.2.0/24")], 60).ToChange();

        Assert.That((ingressOnly.DefaultEgressOpen, egressGoing.DefaultEgressOpen, egressKept.DefaultEgressOpen), Is.EqualTo((false, false, true)));
    }

    [Test]
    public void Plan_NearTheQuota_AddsWhatFitsBeforeTheRevokeAndTheRestAfter()
    {
        // Quota 4: the group holds 3 of its own; 3 new replace 2 old. Only 1 fits before the revoke.
        GroupState group = Group(Owned("192.0.2.1/32"), Owned("192.0.2.2/32"), Owned("192.0.2.3/32"));

        GroupPlan plan = SecurityGroupPlanner.Plan(group, Wanted("192.0.2.3/32", "198.51.100.1/32", "198.51.100.2/32", "198.51.100.3/32"), 4);

        Assert.That(plan.AddFirst.Select(w => w.Rule.Target), Is.EqualTo(new[] { "198.51.100.1/32" }));
        Assert.That(plan.Revoke, Has.Count.EqualTo(2));
        Assert.That(plan.AddAfter.Select(w => w.Rule.Target), Is.EqualTo(new[] { "198.51.100.2/32", "198.51.100.3/32" }));
    }

    [Test]
    public void Plan_OverTheQuotaAtTheEnd_IsRefusedBeforeAnyChange()
    {
        GroupState group = Group(new ExistingRule("sgr-f", Foreign, false));

        var refused = Assert.Throws<AwsSyncException>(() => SecurityGroupPlanner.Plan(group, Wanted("192.0.2.1/32", "192.0.2.2/32"), 2));

        Assert.That(refused!.Message, Does.Contain("would hold 3 egress IPv4 rules").And.Contain("quota of 2"));
    }

    [Test]
    public void Wanted_ReferencingLists_OneRulePerPortAndListWeighingItsMaxEntries()
    {
        RuleSet logs = RuleSet.For(IpRangesDocument.Load(TestData.IpRangesDocuments[^1]), ["logs"]);
        AwsPrefixListChange v4 = new("n-ipv4", "pl-1", AddressFamilies.IPv4, AwsListAction.Unchanged, [], [], 1, 5);
        AwsPrefixListChange v6 = new("n-ipv6", "pl-2", AddressFamilies.IPv6, AwsListAction.Unchanged, [], [], 1, 7);
        AwsPrefixListChange gone = new("n-ipv4-2", "pl-3", AddressFamilies.IPv4, AwsListAction.Deleted, [], [], 0, 0);

        IReadOnlyList<WantedRule> wanted = SecurityGroupPlanner.Wanted(logs, [v4, v6, gone], "n");

        Assert.That(wanted.Select(w => (w.Rule.Target, w.Weight)).Distinct(), Is.EquivalentTo(new[] { ("pl-1", 5), ("pl-2", 7) }));
        Assert.That(wanted, Has.Count.EqualTo(2 * logs.Rules.Count));
        Assert.That(wanted, Has.All.Matches<WantedRule>(w => w.Description == "fwrules:n logs"));
    }

    private static GroupState Group(params ExistingRule[] rules) => new("sg-0123456789abcdef0", "vpc-1", rules);

    private static ExistingRule Owned(string cidr, int port = 443) => new($"sgr-{cidr}-{port}", new(true, "tcp", port, port, cidr), true);

    private static IReadOnlyList<WantedRule> Wanted(params string[] cidrs) =>
        [.. cidrs.Select(c => new WantedRule(new(true, "tcp", 443, 443, c), "fwrules:n logs", 1, AddressFamilies.IPv4))];
}
