using FirewallRules.Cidr;

namespace FirewallRules.Benchmarks.Data;

/// <summary>Benchmark inputs as text, as parsed ranges and as sets; synthetic inputs hold one million prefixes.</summary>
internal static class Inputs
{
    public const int SyntheticCount = 1_000_000;

    /// <summary>The input as a UTF-8 prefix list, one prefix per line.</summary>
    public static byte[] Text(InputSet input) =>
        Generator.IsSynthetic(input) ? Generator.Generate(input, SyntheticCount) : Generator.Lines(Corpora.Prefixes(input));

    /// <summary>The input parsed but not aggregated: one range per line, in input order.</summary>
    public static ParsedInput Parse(InputSet input)
    {
        var v4 = new List<AddressRange<uint>>();
        var v6 = new List<AddressRange<UInt128>>();
        ReadOnlySpan<byte> text = Text(input);
        foreach (Range line in text.Split((byte)'\n'))
        {
            if (text[line].IsEmpty)
            {
                continue;
            }

            if (AddressText.TryParse(text[line], PrefixParseOptions.None, out ParsedPrefix prefix) != PrefixError.None)
            {
                throw new InvalidDataException($"{input}: cannot parse \"{System.Text.Encoding.UTF8.GetString(text[line])}\"");
            }

            if (prefix.IsIPv6)
            {
                v6.Add(new CidrBlock<UInt128>(prefix.V6, prefix.Length).Range);
            }
            else
            {
                v4.Add(new CidrBlock<uint>(prefix.V4, prefix.Length).Range);
            }
        }

        return new ParsedInput([.. v4], [.. v6]);
    }

    public static PrefixSet Set(InputSet input) => PrefixSet.Parse(Text(input));
}

/// <summary>Parsed prefixes of both families, each as an inclusive address range.</summary>
internal sealed record ParsedInput(AddressRange<uint>[] IPv4, AddressRange<UInt128>[] IPv6);
