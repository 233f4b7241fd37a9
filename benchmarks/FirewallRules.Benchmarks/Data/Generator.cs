using System.Text;
using FirewallRules.Cidr;

namespace FirewallRules.Benchmarks.Data;

/// <summary>
/// Deterministic synthetic prefix lists (one prefix per line, UTF-8, canonical text). The same kind,
/// count and seed give the same bytes on every machine, so in-process benchmarks and whole-process
/// runs of the generated files measure the same input.
/// </summary>
internal static class Generator
{
    public const ulong DefaultSeed = 20260822;

    public static bool IsSynthetic(InputSet input) => input is InputSet.IPv4Random or InputSet.IPv4Dense or InputSet.IPv6Random;

    /// <summary>Writes <paramref name="count"/> lines of the synthetic <paramref name="input"/> to <paramref name="output"/>.</summary>
    public static void Write(InputSet input, int count, ulong seed, Stream output)
    {
        var random = new SplitMix64(seed);
        switch (input)
        {
            case InputSet.IPv4Random:
                WriteLines(output, count, i => RandomIPv4(ref random));
                break;
            case InputSet.IPv4Dense:
                CidrBlock<uint>[] dense = DenseIPv4(count, ref random);
                WriteLines(output, count, i => dense[i]);
                break;
            case InputSet.IPv6Random:
                WriteLines(output, count, i => RandomIPv6(ref random));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "not a synthetic input");
        }
    }

    public static byte[] Generate(InputSet input, int count, ulong seed = DefaultSeed)
    {
        using var buffer = new MemoryStream(count * 20);
        Write(input, count, seed, buffer);
        return buffer.ToArray();
    }

    private static CidrBlock<uint> RandomIPv4(ref SplitMix64 random)
    {
        int roll = random.Below(100);
        int length = roll < 40 ? 24 : roll < 80 ? 32 : 16 + random.Below(16);
        return new CidrBlock<uint>((uint)random.Next() & AddressBits<uint>.NetworkMask(length), length);
    }

    private static CidrBlock<UInt128> RandomIPv6(ref SplitMix64 random)
    {
        int roll = random.Below(100);
        int length = roll < 25 ? 48 : roll < 60 ? 64 : roll < 85 ? 128 : 32 + random.Below(96);
        // 2000::/3, global unicast: the top three bits are 001.
        UInt128 address = (new UInt128(random.Next(), random.Next()) >> 3) | (UInt128.One << 125);
        return new CidrBlock<UInt128>(address & AddressBits<UInt128>.NetworkMask(length), length);
    }

    /// <summary>
    /// Half /24s walking up from 10.0.0.0, half /32s walking up from 172.16.0.0, each stream skipping
    /// a step 2% of the time and repeating one 1% of the time, then shuffled.
    /// </summary>
    private static CidrBlock<uint>[] DenseIPv4(int count, ref SplitMix64 random)
    {
        var blocks = new CidrBlock<uint>[count];
        uint next24 = 0x0A000000, next32 = 0xAC100000;
        for (int i = 0; i < count; i++)
        {
            bool wide = i % 2 == 0;
            ref uint cursor = ref wide ? ref next24 : ref next32;
            uint step = wide ? 256u : 1u;
            int roll = random.Below(100);
            if (roll < 2)
            {
                cursor += step; // a gap
            }

            blocks[i] = new CidrBlock<uint>(cursor, wide ? 24 : 32);
            if (roll != 2)
            {
                cursor += step; // roll 2 repeats this block next time
            }
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Below(i + 1);
            (blocks[i], blocks[j]) = (blocks[j], blocks[i]);
        }

        return blocks;
    }

    private static void WriteLines<T>(Stream output, int count, Func<int, CidrBlock<T>> next)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T>
    {
        byte[] buffer = new byte[1 << 16];
        int used = 0;
        for (int i = 0; i < count; i++)
        {
            if (buffer.Length - used <= AddressText.MaxPrefixLength)
            {
                output.Write(buffer, 0, used);
                used = 0;
            }

            used += AddressText.FormatBlock(next(i), buffer.AsSpan(used));
            buffer[used++] = (byte)'\n';
        }

        output.Write(buffer, 0, used);
    }

    /// <summary>Joins prefix strings into a prefix list.</summary>
    public static byte[] Lines(IEnumerable<string> prefixes) => Encoding.UTF8.GetBytes(string.Concat(prefixes.Select(p => p + "\n")));
}
