using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FirewallRules.Benchmarks.Data;

namespace FirewallRules.Benchmarks;

/// <summary>
/// Collapse throughput against IPNetwork2 (5.0.1, the package the library pins for its edge): its
/// <c>IPNetwork2.Supernet</c> over an array against <see cref="PrefixSet.Create(IEnumerable{IPNetwork})"/> over the same
/// prefixes, both from parsed values to the collapsed list, for the first N lines of the seeded random IPv4 and IPv6
/// inputs (<c>generate ipv4-random N</c>, <c>generate ipv6-random N</c>). The set up checks that both give the same
/// list, so the times compare the same work. 1k and 10k here; 100k, where one Supernet call takes seconds, in
/// <see cref="SupernetAtScaleBenchmarks"/> with a short job.
/// </summary>
public class SupernetBenchmarks
{
    private IPNetwork2[] _theirs = [];
    private IPNetwork[] _ours = [];

    [Params(InputSet.IPv4Random, InputSet.IPv6Random)]
    public InputSet Input { get; set; }

    [Params(1_000, 10_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup() => (_theirs, _ours) = SupernetInputs.Load(Input, Count);

    /// <summary>IPNetwork2's supernetting of the whole array.</summary>
    [Benchmark(Baseline = true)]
    public int IPNetwork2Supernet() => IPNetwork2.Supernet(_theirs).Length;

    /// <summary>Ours: the same prefixes, as the framework's <see cref="IPNetwork"/>, to a set.</summary>
    [Benchmark]
    public int PrefixSetCreate() => PrefixSet.Create(_ours).Count;
}

/// <summary>As <see cref="SupernetBenchmarks"/>, at 100k prefixes: three iterations after one warm-up (IPNetwork2 takes seconds per call).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class SupernetAtScaleBenchmarks
{
    private IPNetwork2[] _theirs = [];
    private IPNetwork[] _ours = [];

    [Params(InputSet.IPv4Random, InputSet.IPv6Random)]
    public InputSet Input { get; set; }

    [Params(100_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup() => (_theirs, _ours) = SupernetInputs.Load(Input, Count);

    /// <inheritdoc cref="SupernetBenchmarks.IPNetwork2Supernet"/>
    [Benchmark(Baseline = true)]
    public int IPNetwork2Supernet() => IPNetwork2.Supernet(_theirs).Length;

    /// <inheritdoc cref="SupernetBenchmarks.PrefixSetCreate"/>
    [Benchmark]
    public int PrefixSetCreate() => PrefixSet.Create(_ours).Count;
}

/// <summary>The same prefixes for both libraries, and the check that both collapse them to the same list.</summary>
internal static class SupernetInputs
{
    public static (IPNetwork2[] Theirs, IPNetwork[] Ours) Load(InputSet input, int count)
    {
        string[] lines = System.Text.Encoding.UTF8.GetString(Generator.Generate(input, count)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        IPNetwork2[] theirs = [.. lines.Select(line => IPNetwork2.Parse(line))];
        IPNetwork[] ours = [.. lines.Select(line => IPNetwork.Parse(line))];
        string[] theirList = [.. IPNetwork2.Supernet(theirs).Select(n => n.ToString()).Order(StringComparer.Ordinal)];
        string[] ourList = [.. PrefixSet.Create(ours).Select(n => n.ToString()).Order(StringComparer.Ordinal)];
        if (!theirList.SequenceEqual(ourList))
        {
            throw new InvalidOperationException($"{input} {count}: IPNetwork2 collapses to {theirList.Length} prefixes, PrefixSet to {ourList.Length}: the two disagree");
        }

        return (theirs, ours);
    }
}
