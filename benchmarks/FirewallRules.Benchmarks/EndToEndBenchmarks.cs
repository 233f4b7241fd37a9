using System.Text;
using BenchmarkDotNet.Attributes;
using FirewallRules.Benchmarks.Data;
using FirewallRules.Benchmarks.Naive;

namespace FirewallRules.Benchmarks;

/// <summary>
/// Text to text, as <c>fwrules aggregate</c> does it in process: read a UTF-8 prefix list from a
/// stream, aggregate, write the minimal list. The baseline is the straightforward string-based way.
/// </summary>
public class EndToEndBenchmarks : IDisposable
{
    private byte[] _text = [];
    private MemoryStream _output = new();

    [Params(InputSet.IPv4Random, InputSet.IPv4Dense, InputSet.IPv6Random, InputSet.Aws, InputSet.Azure, InputSet.Datadog)]
    public InputSet Input { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = Inputs.Text(Input);
        _output = new MemoryStream(_text.Length);
        // Both ways must give the same bytes, or the comparison means nothing.
        Engine();
        if (!_output.ToArray().AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(NaiveAggregator.Aggregate(Encoding.UTF8.GetString(_text)))))
        {
            throw new InvalidOperationException($"{Input}: the naive and the engine's output differ.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _output.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public int Naive() => Encoding.UTF8.GetBytes(NaiveAggregator.Aggregate(Encoding.UTF8.GetString(_text))).Length;

    [Benchmark]
    public long Engine()
    {
        _output.Position = 0;
        using var input = new MemoryStream(_text, writable: false);
        PrefixSet.Read(input).WriteTo(_output);
        return _output.Position;
    }
}
