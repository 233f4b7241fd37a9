namespace FirewallRules.Benchmarks.Data;

/// <summary>A synthetic input of <paramref name="Count"/> prefixes summarised to <paramref name="Budget"/>; prints as BenchmarkDotNet's parameter column.</summary>
public sealed record ScaleCase(InputSet Input, int Count, int Budget)
{
    public override string ToString() => $"{(Input == InputSet.IPv6Random ? "IPv6" : "IPv4")} {Count / 1000}k, k={Budget}";
}
