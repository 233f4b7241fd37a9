using System.Diagnostics;
using System.Globalization;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Every address format outside Linux admits exactly its plan, nothing more: for plans drawn from a seed (sections of real documents
/// with their ports and direction or others given, agents' configurations with listeners bound to loopback forms or beyond, relays by
/// address, a proxy and no_proxy, networks opened, and every section of a document drawn to reach the edges), each rendered document is
/// read back with a real parser into an independent evaluator of its target's semantics (<see cref="Admission"/>), and every probe
/// around and outside the plan (<see cref="Probes"/>) gets the answer the oracle's model of the plan gives (<see cref="PlanModel"/>,
/// computed from the plan's inputs, never the library's rules; <see cref="Verdicts.Expected"/>): no destination prefix, port, protocol,
/// direction or source beyond it, and nothing of it missing.
/// </summary>
/// <remarks>
/// Replay or run longer: <c>FWRULES_INVARIANT_SEED</c> (the first seed), <c>FWRULES_INVARIANT_SEEDS</c> (how many seeds, one after
/// another) and <c>FWRULES_INVARIANT_PLANS</c> (rule sets per seed); <c>tests/campaigns/cloud-invariant.sh</c> runs many.
/// </remarks>
[TestFixture]
[Category("RealTools")]
public sealed class AdmissionInvariantTests
{
    /// <summary>What one drawn rule set is proved with: its seed, the case, its model and its probes.</summary>
    internal sealed record Drawn(int Seed, InvariantCase Case, PlanModel Model, IReadOnlyList<Packet> Probes);

    private List<Drawn> _drawn = null!;
    private TempFiles? _files;

    internal static int Seed => Setting("FWRULES_INVARIANT_SEED", 20261127);

    internal static int Seeds => Setting("FWRULES_INVARIANT_SEEDS", 1);

    internal static int Plans => Setting("FWRULES_INVARIANT_PLANS", 6);

    public static IEnumerable<string> Formats => FormatReaders.Formats;

    [OneTimeSetUp]
    public void DrawPlans()
    {
        _files = new TempFiles();
        _drawn = Draw(Seed, Seeds, Plans, _files.DirectoryPath);
    }

    [OneTimeTearDown]
    public void DeleteFiles() => _files?.Dispose();

    [TestCaseSource(nameof(Formats))]
    public void Render_DrawnPlans_AdmitExactlyThePlan(string format)
    {
        var clock = Stopwatch.StartNew();
        var rendered = new List<(InvariantCase Case, string Text)>();
        foreach (Drawn drawn in _drawn)
        {
            rendered.Add((drawn.Case, drawn.Case.Render(format)));
        }

        IReadOnlyList<Admission> admissions = FormatReaders.Read(format, rendered);
        List<string> failures = Judge(format, _drawn, admissions, out int judged, out int admitted);

        TestContext.Out.WriteLine(
            $"{format}: seeds {Seed}..{Seed + Seeds - 1}, {_drawn.Count} plans ({OneFamily(_drawn)}), {judged} probes judged ({admitted} admitted), " +
            $"{clock.ElapsedMilliseconds} ms");
        Assert.That(admitted, Is.Positive, "no probe was admitted: the probes do not reach the plan");
        Assert.That(failures, Is.Empty, $"{format} admits other than the plan. Replay: {Replay(format)}");
    }

    /// <summary>
    /// The plans of <paramref name="seeds"/> seeds from <paramref name="first"/>, <paramref name="plans"/> each, with their models and probes; agents'
    /// configurations are written under <paramref name="directory"/>.
    /// </summary>
    internal static List<Drawn> Draw(int first, int seeds, int plans, string directory) => [.. Enumerable.Range(first, seeds).SelectMany(seed =>
    {
        var random = new Random(seed);
        return InvariantPlans.Draw(seed, plans, directory).Select(c => new Drawn(seed, c, c.Model, Probes.For(c.Model, random))).ToList();
    })];

    /// <summary>Each probe an evaluator answers otherwise than the model: seed, format, plan, probe, expected and admitted, the rules.</summary>
    internal static List<string> Judge(string format, IReadOnlyList<Drawn> drawn, IReadOnlyList<Admission> admissions, out int judged, out int admitted)
    {
        var failures = new List<string>();
        judged = admitted = 0;
        foreach ((Drawn d, Admission admission) in drawn.Zip(admissions).SelectMany(p => p.Second.Networks.Select(network => (p.First, network))))
        {
            var differences = Verdicts.Differences(d.Model, admission, d.Probes).ToList();
            judged += admission.AddressOnly ? d.Probes.DistinctBy(p => p.Remote).Count() : d.Probes.Count;
            admitted += d.Probes.Count(admission.Admits);
            if (differences.Count > 0)
            {
                failures.Add($"seed {d.Seed}, {format}{admission.Where}, {d.Case}:\n" + string.Join('\n', differences.Take(8).Select(x =>
                    $"  {x.Probe}: the plan {(x.Expected ? "admits" : "does not admit")} it, the {format} output {(x.Admitted ? "admits" : "does not admit")} it"))
                    + (differences.Count > 8 ? $"\n  ... and {differences.Count - 8} more" : string.Empty)
                    + $"\n  the plan's rules: {string.Join("; ", d.Model.Rules)}");
            }
        }

        return failures;
    }

    private static string OneFamily(IEnumerable<Drawn> drawn) => string.Join(", ", drawn.GroupBy(d => d.Case.Families).OrderBy(g => g.Key)
        .Select(g => $"{g.Count()} {(g.Key == AddressFamilies.Both ? "of both families" : $"{g.Key} only")}"));

    internal static string Replay(string format) =>
        $"FWRULES_INVARIANT_SEED={Seed} FWRULES_INVARIANT_SEEDS={Seeds} FWRULES_INVARIANT_PLANS={Plans} " +
        $"dotnet test -c Release --filter \"FullyQualifiedName~Invariant.Cloud&Name~{format}\"";

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
