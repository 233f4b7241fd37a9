using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FirewallRules.Cidr;

/// <summary>
/// The summariser's choices, for reading an optimal cover back: per trie node, for each budget k it
/// may be given, how many of the k prefixes its left half takes, or 0 when k - 1 prefixes do as well.
/// Entries are as narrow as the budget allows (one byte up to 256), since a million blocks with a
/// budget of 1000 make about ten million of them.
/// </summary>
internal sealed class SplitTable
{
    private readonly int _width;
    private byte[] _data;
    private int _used;

    /// <param name="budget">The largest budget, which bounds every entry.</param>
    /// <param name="capacity">Expected number of entries.</param>
    public SplitTable(int budget, int capacity)
    {
        _width = budget <= byte.MaxValue + 1 ? 1 : budget <= ushort.MaxValue + 1 ? 2 : 4;
        _data = new byte[Math.Max(16, capacity) * _width];
    }

    /// <summary>Stores <paramref name="choices"/>; returns where they start, for <see cref="Get"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Append(ReadOnlySpan<int> choices)
    {
        int start = _used;
        if ((start + choices.Length) * (long)_width > _data.Length)
        {
            Array.Resize(ref _data, (int)Math.Min(Array.MaxLength, Math.Max(_data.Length * 2L, (start + choices.Length) * (long)_width)));
        }

        Span<byte> bytes = _data.AsSpan(start * _width, choices.Length * _width);
        switch (_width)
        {
            case 1:
                for (int i = 0; i < choices.Length; i++)
                {
                    bytes[i] = (byte)choices[i];
                }

                break;
            case 2:
                Span<ushort> words = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (int i = 0; i < choices.Length; i++)
                {
                    words[i] = (ushort)choices[i];
                }

                break;
            default:
                choices.CopyTo(MemoryMarshal.Cast<byte, int>(bytes));
                break;
        }

        _used += choices.Length;
        return start;
    }

    /// <summary>The entry <paramref name="index"/> places after <paramref name="start"/>.</summary>
    public int Get(int start, int index)
    {
        int at = (start + index) * _width;
        return _width switch
        {
            1 => _data[at],
            2 => BitConverter.ToUInt16(_data, at),
            _ => BitConverter.ToInt32(_data, at),
        };
    }
}
