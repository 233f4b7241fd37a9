using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// What writing a large rule set allocates, for the formats that write each prefix from its
/// numbers straight to the output. Allocated bytes on the test's thread are counted by the runtime, not timed, so the
/// bound holds on a loaded machine as on an idle one. A string (or a copy of the output) per prefix takes tens of
/// bytes per prefix, and a whole output held in memory twice its size.
/// </summary>
[TestFixture]
public class EmitterMemoryTests
{
    // Every other address from 3.0.0.0 and from 2001:db8::, so that no two prefixes merge.
    private const int IPv4Prefixes = 100_000;
    private const int IPv6Prefixes = 20_000;

    private static readonly Lazy<RuleSet> Large = new(() => RenderAllocations.SparseRules(IPv4Prefixes, IPv6Prefixes));

    [TestCase("windows")]
    [TestCase("windows-netsh")]
    [TestCase("iptables")]
    [TestCase("ip6tables")]
    [TestCase("iptables-script")]
    [TestCase("iptables-ipset-script")]
    [TestCase("ipset")]
    [TestCase("list")]
    [TestCase("aerleon")]
    [TestCase("capirca")]
    public void Render_ManyPrefixes_AllocatesUnderEightBytesPerPrefix(string format)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format);
        long allocated = RenderAllocations.Count(emitter, Large.Value, warmUp: Large.Value, out CountingWriter output);

        int prefixes = emitter.Families == AddressFamilies.IPv6 ? IPv6Prefixes : emitter.Families == AddressFamilies.IPv4 ? IPv4Prefixes : IPv4Prefixes + IPv6Prefixes;
        Assert.That(output.Characters, Is.GreaterThan(10L * prefixes), "every prefix was written");
        // What is made once per Windows rule of 1,000 addresses (its names, description and lines: about 4 KB, measured)
        // or per header line stays below this; a string per prefix alone would take five times more (40 bytes or more
        // for the shortest prefix text).
        Assert.That(allocated, Is.LessThan(8L * prefixes), $"{allocated:N0} bytes allocated to write {output.Characters:N0} characters");
    }
}
