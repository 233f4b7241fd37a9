using BenchmarkDotNet.Attributes;
using FirewallRules.Benchmarks.Data;

namespace FirewallRules.Benchmarks;

/// <summary>
/// Optimal summarizing of real corpora to a rule budget (60 rules per AWS security group, and a
/// larger list). There is no baseline: nothing naive gives the same, provably optimal answer.
/// </summary>
public class SummarizeBenchmarks
{
    private PrefixSet _set = PrefixSet.Empty;

    [Params(InputSet.Aws, InputSet.Azure, InputSet.Datadog)]
    public InputSet Input { get; set; }

    [Params(60, 1000)]
    public int Budget { get; set; }

    [GlobalSetup]
    public void Setup() => _set = Inputs.Set(Input);

    [Benchmark]
    public int Summarize() => _set.Summarize(Budget).Prefixes.Count;

    /// <summary>Separate budgets per family, as AWS security groups count them.</summary>
    [Benchmark]
    public int SummarizePerFamily() => _set.Summarize(Budget, Budget).Prefixes.Count;
}
