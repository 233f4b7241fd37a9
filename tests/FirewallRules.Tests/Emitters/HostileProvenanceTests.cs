using System.Text;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Free text of any size in a rule set's provenance (a hand-built one is not validated) against every format: it
/// adds a few bounded lines to the output, whatever its size, and no line passes its target's line limit.
/// </summary>
[TestFixture]
public class HostileProvenanceTests
{
    // The line limits of the tools that read these outputs line by line, in bytes (newline excluded):
    // ipset restore reads 1024-byte lines with fgets (so 1023 bytes of text), iptables-restore 10240, cmd.exe 8191.
    private static readonly Dictionary<string, int> LineLimits = new()
    {
        ["ipset"] = 1023,
        ["iptables-ipset"] = 1023,
        ["ip6tables-ipset"] = 1023,
        ["iptables-script"] = 1023,
        ["iptables-ipset-script"] = 1023,
        ["iptables"] = 10239,
        ["ip6tables"] = 10239,
        ["windows-netsh"] = 8191,
    };

    public static IEnumerable<string> Formats() => EmitterRegistry.Default.Formats.Select(f => f.Format);

    [TestCaseSource(nameof(Formats))]
    public void Render_MegabyteOfProvenanceText_AddsABoundedHeaderOnly(string format)
    {
        string huge = string.Concat(Enumerable.Repeat("2022-11-14 \u00e9\u2028x", 100_000));
        string benign = Render(format, Provenance("2022-11-14-22-00-00", ["webhooks"]));

        string hostile = Render(format, Provenance(huge, [huge, "webhooks"]));

        Assert.That(Encoding.UTF8.GetByteCount(hostile) - Encoding.UTF8.GetByteCount(benign), Is.LessThan(4096), "a megabyte of text adds at most a few bounded lines");
        int limit = LineLimits.GetValueOrDefault(format, 4096);
        Assert.That(hostile.Split('\n').Where(line => Encoding.UTF8.GetByteCount(line) > limit), Is.Empty, $"every line within {limit} bytes");
    }

    [Test]
    public void Describe_HugeProvenance_EveryLineIsCut()
    {
        IReadOnlyList<string> lines = Provenance(new string('m', 1_000_000), [new string('s', 1_000_000)]).Describe();

        Assert.That(lines, Has.All.Length.LessThanOrEqualTo(200));
        Assert.That(lines[1], Does.StartWith("Source: Datadog ip-ranges version 7, modified mmmmm").And.Contain("m...").And.EndWith("..."));
    }

    private static RuleSetProvenance Provenance(string modified, string[] sections) => new(null, 7, modified, sections, IsEmbeddedSnapshot: false);

    // The formats that hold host names, not addresses, and refuse a rule set with none: given a named site's apm too.
    private static readonly string[] ByName = ["aws-network-firewall", "terraform-aws-network-firewall", "squid", "domains"];

    private static string Render(string format, RuleSetProvenance provenance)
    {
        var rule = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20\n2600:1f18:24e6:b900::/56"), ["webhooks"]);
        var apm = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.146.0/24"), ["apm"]);
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);
        RuleSet rules = ByName.Contains(format)
            ? RuleSet.Create([rule, apm], provenance with { Site = Site.US1, Sections = [.. provenance.Sections, "apm"] })
            : RuleSet.Create([rule], provenance);

        // Ingress from Datadog reaches the user's own pods, which the Kubernetes formats need selected.
        return rules.Render(emitter.Options is KubernetesPolicyOptions
            ? EmitterRegistry.Default.Create(format, new KubernetesPolicyOptions { PodSelector = new Dictionary<string, string> { ["app"] = "webhook-receiver" } })
            : emitter);
    }
}
