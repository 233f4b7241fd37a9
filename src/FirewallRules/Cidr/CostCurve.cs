using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FirewallRules.Cidr;

/// <summary>
/// Cost curves of the summariser: <c>curve[k]</c> is the fewest extra addresses with which k prefixes
/// can cover a run of blocks, <see cref="Impossible"/> where none can (always at k = 0). Costs are
/// <see cref="uint"/> for IPv4, so curves combine eight lanes at a time, and <see cref="UInt128"/> for
/// IPv6. Either way, the extra addresses of a cover stay below the size of the address space, so a real
/// cost never reaches <see cref="Impossible"/>, and two real costs of disjoint runs never overflow.
/// </summary>
internal static class CostCurve<TCost>
    where TCost : unmanaged, IBinaryInteger<TCost>, IUnsignedNumber<TCost>
{
    /// <summary>Stands for "no cover with this many prefixes": the largest value, larger than any real cost.</summary>
    public static TCost Impossible => TCost.AllBitsSet;

    /// <summary>Entries that must follow each curve, and the output, in their arrays: the last vector of a row may read and write past the row's end.</summary>
    public static int Slack => Vector<uint>.Count;

    /// <summary>
    /// The min-plus convolution of two cost curves for k = 2..<paramref name="m"/>: <c>output[k]</c> is
    /// the least <c>left[kl] + right[k - kl]</c> with both parts at least 1, and <c>choice[k]</c> the
    /// smallest kl reaching it. An index where a curve is no lower than just before it is skipped: the
    /// same sum with one prefix fewer is reachable at k - 1, so it never makes <c>k</c> strictly better
    /// than <c>k - 1</c>, which is the only case where the choice is read.
    /// </summary>
    /// <param name="left">The left curve (its first <paramref name="leftLength"/> entries), followed by at least <see cref="Slack"/> more.</param>
    /// <param name="leftLength">The left curve's length.</param>
    /// <param name="right">The right curve, followed by at least <see cref="Slack"/> more entries.</param>
    /// <param name="rightLength">The right curve's length.</param>
    /// <param name="output">Receives the sums; at least m + 1 + <see cref="Slack"/> long (entries past m are overwritten).</param>
    /// <param name="choice">Receives the choices; as long as <paramref name="output"/>.</param>
    /// <param name="m">The largest k to compute.</param>
    /// <remarks>
    /// The outer loop runs over the shorter curve, so the inner one is long enough to vectorise. A curve is
    /// impossible for its first few entries at most (a summary's minimum length), so the inner loop starts
    /// past them and adds only real costs.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(ReadOnlySpan<TCost> left, int leftLength, ReadOnlySpan<TCost> right, int rightLength, Span<TCost> output, Span<int> choice, int m)
    {
        if (left.Length < leftLength + Slack || right.Length < rightLength + Slack || output.Length < m + 1 + Slack || choice.Length < output.Length)
        {
            throw new ArgumentException("Cost curves need room for a whole vector past their end.");
        }

        output[2..].Fill(Impossible);
        // Outer over the left curve: "less than" keeps the first kl reaching the minimum. Outer over the
        // right curve: kl is the inner index and falls as the outer one grows, so "less or equal" lets the
        // last, smallest kl win ties.
        bool outerRight = rightLength <= leftLength;
        ReadOnlySpan<TCost> outer = outerRight ? right[..rightLength] : left[..leftLength], inner = outerRight ? left : right;
        int innerLength = outerRight ? leftLength : rightLength;
        int first = 1;
        while (first < innerLength && inner[first] == Impossible)
        {
            first++;
        }

        for (int ko = 1; ko < outer.Length && ko + first <= m; ko++)
        {
            TCost cost = outer[ko];
            if (cost == Impossible || (ko > 1 && cost >= outer[ko - 1]))
            {
                continue;
            }

            int last = Math.Min(innerLength - 1, m - ko);
            if (typeof(TCost) == typeof(uint) && Vector.IsHardwareAccelerated)
            {
                CombineRow(
                    uint.CreateTruncating(cost), MemoryMarshal.Cast<TCost, uint>(inner), first, last, MemoryMarshal.Cast<TCost, uint>(output[ko..]), choice[ko..],
                    outerRight ? -1 : ko);
                continue;
            }

            for (int ki = first; ki <= last; ki++)
            {
                TCost sum = cost + inner[ki];
                TCost current = output[ko + ki];
                if (outerRight ? sum <= current : sum < current)
                {
                    output[ko + ki] = sum;
                    choice[ko + ki] = outerRight ? ki : ko;
                }
            }
        }
    }

    /// <summary>
    /// One outer index of <see cref="Combine"/> for IPv4, eight lanes at a time: <c>cost + inner[ki]</c>
    /// against <c>output[ki]</c> for ki = first..last. <paramref name="outerChoice"/> is the choice to
    /// record (strictly better sums only), or -1 to record ki (sums at least as good). The last vector
    /// reads past <paramref name="last"/> and leaves those lanes as they were.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineRow(uint cost, ReadOnlySpan<uint> inner, int first, int last, Span<uint> output, Span<int> choice, int outerChoice)
    {
        ref uint sums = ref MemoryMarshal.GetReference(output);
        ref int chosen = ref MemoryMarshal.GetReference(choice);
        ref uint costs = ref MemoryMarshal.GetReference(inner);
        var add = new Vector<uint>(cost);
        bool atLeastAsGood = outerChoice < 0;
        Vector<int> pick = atLeastAsGood ? Vector<int>.Indices + new Vector<int>(first) : new Vector<int>(outerChoice);
        Vector<int> step = atLeastAsGood ? new Vector<int>(Vector<int>.Count) : Vector<int>.Zero;
        int ki = first;
        for (; ki <= last - Vector<uint>.Count + 1; ki += Vector<uint>.Count)
        {
            Lanes(ref sums, ref chosen, ref costs, ki, add, pick, Vector<int>.AllBitsSet, atLeastAsGood);
            pick += step;
        }

        if (ki <= last)
        {
            Lanes(ref sums, ref chosen, ref costs, ki, add, pick, Vector.LessThanOrEqual(Vector<int>.Indices, new Vector<int>(last - ki)), atLeastAsGood);
        }
    }

    /// <summary>One vector of <see cref="CombineRow"/>, at <paramref name="ki"/>; lanes outside <paramref name="inRow"/> keep what they had.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(ref uint sums, ref int chosen, ref uint costs, int ki, Vector<uint> add, Vector<int> pick, Vector<int> inRow, bool atLeastAsGood)
    {
        Vector<uint> sum = add + Vector.LoadUnsafe(ref costs, (nuint)ki);
        Vector<uint> current = Vector.LoadUnsafe(ref sums, (nuint)ki);
        Vector<uint> least = Vector.ConditionalSelect(inRow.As<int, uint>(), Vector.Min(sum, current), current);
        // Unsigned "less or equal" is least == sum; "less than" is least != current.
        Vector<int> better = atLeastAsGood ? Vector.Equals(least, sum).As<uint, int>() & inRow : ~Vector.Equals(least, current).As<uint, int>();
        least.StoreUnsafe(ref sums, (nuint)ki);
        Vector.ConditionalSelect(better, pick, Vector.LoadUnsafe(ref chosen, (nuint)ki)).StoreUnsafe(ref chosen, (nuint)ki);
    }
}
