using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using FirewallRules.Benchmarks.Data;
using FirewallRules.Cidr;

namespace FirewallRules.Benchmarks;

/// <summary>Text to numeric ranges, before aggregation: the strict UTF-8 line reader against splitting into strings for <see cref="IPNetwork.Parse(string)"/>.</summary>
public class ParseBenchmarks
{
    private byte[] _text = [];

    [Params(InputSet.IPv4Random, InputSet.IPv4Dense, InputSet.IPv6Random, InputSet.Aws, InputSet.Azure, InputSet.Datadog)]
    public InputSet Input { get; set; }

    [GlobalSetup]
    public void Setup() => _text = Inputs.Text(Input);

    /// <summary>Decode, split into strings, <see cref="IPNetwork.Parse(string)"/> each (lenient: it would accept 010.0.0.0/8).</summary>
    [Benchmark(Baseline = true)]
    public int SplitAndIPNetworkParse()
    {
        int count = 0;
        foreach (string line in Encoding.UTF8.GetString(_text).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            count += IPNetwork.Parse(line).PrefixLength > 0 ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public int PrefixListReader()
    {
        var reader = new PrefixListReader(PrefixParseOptions.None, _text.Length / 14);
        reader.Feed(_text, final: true);
        return reader.IPv4Read + reader.IPv6Read;
    }
}
