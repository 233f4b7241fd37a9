using FirewallRules.Emitters;
using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// What the Kubernetes and Google Cloud formats allocate to write a long allow-list. They plan
/// their splits from the prefixes' numbers and write each prefix's text as they go, so nothing is made per prefix.
/// Allocated bytes on the test's thread are counted by the runtime, not timed, so the bounds hold on a loaded machine.
/// </summary>
[TestFixture]
public class PolicyEmitterMemoryTests
{
    // 100,000 /32s, every other address of 3.0.0.0/8, so that none aggregate.
    private const int Prefixes = 100_000;

    // A string per prefix costs 48 bytes (a /32's text), an IPNetwork's address 40, a YAML node more: this leaves room
    // for the plan's few bytes per prefix (its weight, the numbers of its part: 12) and a rule's own strings, over the
    // 256 prefixes GCP puts in one (measured: 12 to 25 bytes a prefix), and for nothing made per prefix.
    private const int BytesPerPrefix = 32;

    private static readonly RuleSet Large = RenderAllocations.SparseRules(Prefixes);

    private static IEnumerable<TestCaseData> Formats() =>
    [
        new TestCaseData("kubernetes", new KubernetesPolicyOptions()).SetArgDisplayNames("kubernetes"),
        new TestCaseData("calico", new KubernetesPolicyOptions()).SetArgDisplayNames("calico"),
        new TestCaseData("cilium", new KubernetesPolicyOptions { MaxPolicyMapEntries = Prefixes + 2 }).SetArgDisplayNames("cilium"),
        new TestCaseData("gcp-firewall", new GcpFirewallOptions()).SetArgDisplayNames("gcp-firewall"),
        new TestCaseData("terraform-gcp", new GcpFirewallOptions()).SetArgDisplayNames("terraform-gcp"),
    ];

    [TestCaseSource(nameof(Formats))]
    public void Render_LongAllowList_AllocatesNothingPerPrefix(string format, EmitterOptions options)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format, options);
        long allocated = RenderAllocations.Count(emitter, Large, warmUp: RenderAllocations.SparseRules(10), out CountingWriter output);
        TestContext.Out.WriteLine($"{format}: {allocated:N0} bytes allocated ({(double)allocated / Prefixes:F1} per prefix) to write {output.Characters:N0} characters");

        Assert.That(output.Prefixes, Is.EqualTo(Prefixes), "every prefix written once");
        Assert.That(allocated, Is.LessThan((long)BytesPerPrefix * Prefixes),
            $"{allocated:N0} bytes allocated ({(double)allocated / Prefixes:F1} per prefix) to write {output.Characters:N0} characters");
    }
}
