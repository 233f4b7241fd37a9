using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// What rendering a rule set allocates, for the memory tests (finding 7): bytes allocated on the test's
/// thread, counted by the runtime rather than timed, so a bound holds on a loaded machine as on an idle one.
/// </summary>
internal static class RenderAllocations
{
    /// <summary>
    /// One rule (egress, HTTPS, logs) holding <paramref name="ipv4"/> /32s and <paramref name="ipv6"/> /128s, every other
    /// address from 3.0.0.0 and from 2001:db8::, so that no two prefixes merge.
    /// </summary>
    public static RuleSet SparseRules(int ipv4, int ipv6 = 0)
    {
        IEnumerable<string> v4 = Enumerable.Range(0, ipv4).Select(i => $"3.{2 * i / 65536 % 256}.{2 * i / 256 % 256}.{2 * i % 256}/32");
        IEnumerable<string> v6 = Enumerable.Range(0, ipv6).Select(i => $"2001:db8::{(2 * i) + 2:x}/128");
        PrefixSet prefixes = PrefixSet.Parse(string.Join('\n', v4.Concat(v6)));
        return RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, prefixes, ["logs"])],
            new RuleSetProvenance(null, 60, "2026-11-23-00-00-00", ["logs"], IsEmbeddedSnapshot: false));
    }

    /// <summary>
    /// Renders <paramref name="warmUp"/> once (the statics and what is made once per format), then returns the bytes
    /// rendering <paramref name="rules"/> allocates, and what it wrote.
    /// </summary>
    public static long Count(IRuleEmitter emitter, RuleSet rules, RuleSet warmUp, out CountingWriter output)
    {
        using (var first = new CountingWriter())
        {
            warmUp.Render(emitter, first);
        }

        output = new CountingWriter();
        long before = GC.GetAllocatedBytesForCurrentThread();
        rules.Render(emitter, output);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
