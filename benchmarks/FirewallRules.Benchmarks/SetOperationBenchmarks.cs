using BenchmarkDotNet.Attributes;
using FirewallRules.Benchmarks.Data;

namespace FirewallRules.Benchmarks;

/// <summary>
/// Union, intersection and difference of aggregated sets, which walk both sorted lists once. The
/// baseline gets the union the naive way: concatenate both prefix lists and collapse them again.
/// </summary>
public class SetOperationBenchmarks
{
    private PrefixSet _left = PrefixSet.Empty;
    private PrefixSet _right = PrefixSet.Empty;

    /// <summary>Pairs of inputs: the two real cloud corpora, and the random against the dense synthetic million.</summary>
    [Params("Aws-Azure", "IPv4Random-IPv4Dense")]
    public string Pair { get; set; } = "Aws-Azure";

    [GlobalSetup]
    public void Setup()
    {
        string[] names = Pair.Split('-');
        _left = Inputs.Set(Enum.Parse<InputSet>(names[0]));
        _right = Inputs.Set(Enum.Parse<InputSet>(names[1]));
    }

    [Benchmark(Baseline = true)]
    public int ConcatenateAndCollapse() => PrefixSet.Create(_left.Concat(_right)).Count;

    [Benchmark]
    public int Union() => _left.Union(_right).Count;

    [Benchmark]
    public int Intersect() => _left.Intersect(_right).Count;

    [Benchmark]
    public int Except() => _left.Except(_right).Count;
}
