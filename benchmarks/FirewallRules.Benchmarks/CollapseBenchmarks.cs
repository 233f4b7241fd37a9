using BenchmarkDotNet.Attributes;
using FirewallRules.Benchmarks.Data;
using FirewallRules.Benchmarks.Naive;
using FirewallRules.Cidr;

namespace FirewallRules.Benchmarks;

/// <summary>
/// Aggregation of already-parsed prefixes (sort, merge, split into blocks): the engine's radix sort
/// against a comparison sort feeding the same merge. Collapsing works in place, so every invocation
/// gets a fresh copy of the input, made outside the measurement.
/// </summary>
[InvocationCount(1)]
public class CollapseBenchmarks
{
    private ParsedInput _input = new([], []);
    private AddressRange<uint>[] _v4 = [];
    private AddressRange<UInt128>[] _v6 = [];

    [Params(InputSet.IPv4Random, InputSet.IPv4Dense, InputSet.IPv6Random, InputSet.Aws, InputSet.Azure)]
    public InputSet Input { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = Inputs.Parse(Input);
        _v4 = new AddressRange<uint>[_input.IPv4.Length];
        _v6 = new AddressRange<UInt128>[_input.IPv6.Length];
    }

    [IterationSetup]
    public void Restore()
    {
        _input.IPv4.CopyTo(_v4, 0);
        _input.IPv6.CopyTo(_v6, 0);
    }

    /// <summary>A comparison sort (introsort) and the same merge; the blocks are not materialised.</summary>
    [Benchmark(Baseline = true)]
    public int ComparisonSortAndMerge() =>
        NaiveAggregator.SortAndMerge<uint>(_v4) + NaiveAggregator.SortAndMerge<UInt128>(_v6);

    /// <summary>What <see cref="PrefixSet"/> does: radix sort, merge, minimal blocks (allocates the result).</summary>
    [Benchmark]
    public int Collapse() =>
        RangeAlgebra<uint>.Collapse(_v4).Length + RangeAlgebra<UInt128>.Collapse(_v6).Length;
}
