using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.Cidr;

namespace FirewallRules.Benchmarks.Naive;

/// <summary>
/// The straightforward way to aggregate a prefix list, as a reference point: a string per line,
/// <see cref="IPNetwork.Parse(string)"/>, a comparison sort, one merge pass, and
/// <see cref="IPNetwork.ToString"/> per output prefix. Exact, just not tuned.
/// </summary>
internal static class NaiveAggregator
{
    public static string Aggregate(string text)
    {
        var v4 = new List<(UInt128 Start, UInt128 End)>();
        var v6 = new List<(UInt128 Start, UInt128 End)>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            IPNetwork network = IPNetwork.Parse(line);
            bool isV4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
            int width = isV4 ? 32 : 128;
            UInt128 start = ToNumber(network.BaseAddress);
            UInt128 size = network.PrefixLength == 0 && !isV4 ? UInt128.MaxValue : (UInt128.One << (width - network.PrefixLength)) - 1;
            (isV4 ? v4 : v6).Add((start, start + size));
        }

        var output = new StringBuilder();
        Write(v4, 32, output);
        Write(v6, 128, output);
        return output.ToString();
    }

    /// <summary>A comparison sort and one merge pass over already-parsed ranges.</summary>
    public static int SortAndMerge<T>(Span<AddressRange<T>> ranges)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T>
    {
        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return RangeAlgebra<T>.MergeSorted(ranges);
    }

    private static void Write(List<(UInt128 Start, UInt128 End)> ranges, int width, StringBuilder output)
    {
        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<(UInt128 Start, UInt128 End)>();
        foreach ((UInt128 start, UInt128 end) in ranges)
        {
            if (merged.Count > 0 && merged[^1].End != UInt128.MaxValue && start <= merged[^1].End + 1)
            {
                merged[^1] = (merged[^1].Start, UInt128.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        foreach ((UInt128 start, UInt128 end) in merged)
        {
            // Largest aligned block at each step: the minimal prefix cover of the range.
            UInt128 at = start;
            while (true)
            {
                int length = width == 32
                    ? AddressBits<uint>.LargestBlockLength((uint)at, (uint)end)
                    : AddressBits<UInt128>.LargestBlockLength(at, end);
                output.Append(new IPNetwork(ToAddress(at, width), length).ToString()).Append('\n');
                UInt128 last = at | (length == width ? UInt128.Zero : (UInt128.One << (width - length)) - 1);
                if (last == end)
                {
                    break;
                }

                at = last + 1;
            }
        }
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static IPAddress ToAddress(UInt128 value, int width)
    {
        byte[] bytes = new byte[width / 8];
        if (width == 32)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        }

        return new IPAddress(bytes);
    }
}
