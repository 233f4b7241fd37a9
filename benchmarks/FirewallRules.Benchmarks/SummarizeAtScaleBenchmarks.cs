using BenchmarkDotNet.Attributes;
using FirewallRules.Benchmarks.Data;

namespace FirewallRules.Benchmarks;

/// <summary>
/// Optimal summarizing of large random lists (a blocklist to a rule budget): the sizes the engine is
/// held to, 100k random IPv4 prefixes to 1, 60 and 1000 prefixes, a million to 60 and 1000, a
/// million random IPv6 to 60. Inputs are the seeded generator's, the first N lines of what
/// <c>generate ipv4-random N</c> writes, aggregated before the measurement. The baseline is what plain
/// <c>aggregate</c> does with the same text (parse and collapse), so each ratio says what a budget costs
/// on top of reading the list.
/// </summary>
public class SummarizeAtScaleBenchmarks
{
    private byte[] _text = [];
    private PrefixSet _set = PrefixSet.Empty;

    [ParamsSource(nameof(Cases))]
    public ScaleCase Case { get; set; } = Cases.First();

    public static IEnumerable<ScaleCase> Cases =>
    [
        new(InputSet.IPv4Random, 100_000, 1),
        new(InputSet.IPv4Random, 100_000, 60),
        new(InputSet.IPv4Random, 100_000, 1000),
        new(InputSet.IPv4Random, 1_000_000, 60),
        new(InputSet.IPv4Random, 1_000_000, 1000),
        new(InputSet.IPv6Random, 1_000_000, 60),
    ];

    [GlobalSetup]
    public void Setup()
    {
        _text = Generator.Generate(Case.Input, Case.Count);
        _set = PrefixSet.Parse(_text);
    }

    [Benchmark(Baseline = true)]
    public int Aggregate() => PrefixSet.Parse(_text).Count;

    [Benchmark]
    public int Summarize() => _set.Summarize(Case.Budget).Prefixes.Count;
}
