using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FirewallRules.Cidr;

/// <summary>
/// Cost curves of the summariser: <c>curve[k]</c> is the fewest extra addresses with which k prefixes
/// can cover a run of blocks (<c>curve[0]</c> is always <see cref="Impossible"/>). Costs are
/// <see cref="long"/> for IPv4, where any count fits in 33 bits, so curves combine eight lanes at a
/// time, and <see cref="UInt128"/> for IPv6.
/// </summary>
internal static class CostCurve<TCost>
    where TCost : unmanaged, IBinaryInteger<TCost>
{
    /// <summary>
    /// Stands for "no cover with this many prefixes". As a <see cref="long"/> it is 2^62, so a sum of two
    /// never overflows and stays at least this large; as a <see cref="UInt128"/> it is the largest value,
    /// and sums saturate to it (real costs of disjoint runs add up to less than 2^128).
    /// </summary>
    public static readonly TCost Impossible = typeof(TCost) == typeof(long) ? TCost.CreateTruncating(1L << 62) : TCost.AllBitsSet;

    /// <summary>
    /// The min-plus convolution of two cost curves for k = 2..<c>output.Length - 1</c>: <c>output[k]</c> is
    /// the least <c>left[kl] + right[k - kl]</c> with both parts at least 1, and <c>choice[k]</c> the
    /// smallest kl reaching it. An index where a curve is no lower than just before it is skipped: the
    /// same sum with one prefix fewer is reachable at k - 1, so it never makes <c>k</c> strictly better
    /// than <c>k - 1</c>, which is the only case where the choice is read.
    /// </summary>
    /// <remarks>The outer loop runs over the shorter curve, so the inner one is long enough to vectorise.</remarks>
    public static void Combine(ReadOnlySpan<TCost> left, ReadOnlySpan<TCost> right, Span<TCost> output, Span<long> choice)
    {
        output[2..].Fill(Impossible);
        if (typeof(TCost) == typeof(long) && Vector.IsHardwareAccelerated)
        {
            CombineVectors(Cast(left), Cast(right), MemoryMarshal.Cast<TCost, long>(output), choice);
            return;
        }

        int m = output.Length - 1;
        if (right.Length <= left.Length)
        {
            for (int kr = 1; kr < right.Length; kr++)
            {
                if (IsUseful(right, kr))
                {
                    // Later (smaller) kl win ties, so "less or equal" keeps the smallest kl reaching the minimum.
                    for (int kl = 1; kl < left.Length && kl + kr <= m; kl++)
                    {
                        TCost cost = Add(left[kl], right[kr]);
                        if (cost <= output[kl + kr])
                        {
                            output[kl + kr] = cost;
                            choice[kl + kr] = kl;
                        }
                    }
                }
            }

            return;
        }

        for (int kl = 1; kl < left.Length; kl++)
        {
            if (IsUseful(left, kl))
            {
                for (int kr = 1; kr < right.Length && kl + kr <= m; kr++)
                {
                    TCost cost = Add(left[kl], right[kr]);
                    if (cost < output[kl + kr])
                    {
                        output[kl + kr] = cost;
                        choice[kl + kr] = kl;
                    }
                }
            }
        }
    }

    /// <summary>The sum of two costs, <see cref="Impossible"/> if either is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TCost Add(TCost a, TCost b)
    {
        TCost sum = a + b;
        return typeof(TCost) == typeof(long) ? TCost.Min(sum, Impossible) : sum < a ? Impossible : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsUseful(ReadOnlySpan<TCost> curve, int k) => curve[k] < Impossible && (k == 1 || curve[k] < curve[k - 1]);

    private static ReadOnlySpan<long> Cast(ReadOnlySpan<TCost> curve) => MemoryMarshal.Cast<TCost, long>(curve);

    private static void CombineVectors(ReadOnlySpan<long> left, ReadOnlySpan<long> right, Span<long> output, Span<long> choice)
    {
        int m = output.Length - 1;
        bool outerRight = right.Length <= left.Length;
        ReadOnlySpan<long> outer = outerRight ? right : left, inner = outerRight ? left : right;
        ref long innerStart = ref Unsafe.Add(ref MemoryMarshal.GetReference(inner), 1);
        Vector<long> lanes = Vector<long>.Indices + Vector<long>.One; // inner index of each lane, from 1
        for (int ko = 1; ko < outer.Length; ko++)
        {
            long cost = outer[ko];
            if (cost >= CostCurve<long>.Impossible || (ko > 1 && cost >= outer[ko - 1]))
            {
                continue;
            }

            int count = Math.Min(inner.Length - 1, m - ko); // inner indices 1..count
            if (count <= 0)
            {
                break; // every later outer index is past the budget too
            }

            ref long sums = ref output[ko + 1];
            ref long chosen = ref choice[ko + 1];
            var add = new Vector<long>(cost);
            // Outer over the left curve: strictly less keeps the first kl. Outer over the right curve:
            // kl = the inner index, and "less or equal" lets the later, smaller kl win ties.
            Vector<long> pick = outerRight ? lanes : new Vector<long>(ko);
            Vector<long> step = outerRight ? new Vector<long>(Vector<long>.Count) : Vector<long>.Zero;
            int i = 0;
            for (; i <= count - Vector<long>.Count; i += Vector<long>.Count)
            {
                Vector<long> candidate = add + Vector.LoadUnsafe(ref innerStart, (nuint)i);
                Vector<long> current = Vector.LoadUnsafe(ref sums, (nuint)i);
                Vector<long> better = outerRight ? Vector.LessThanOrEqual(candidate, current) : Vector.LessThan(candidate, current);
                Vector.ConditionalSelect(better, candidate, current).StoreUnsafe(ref sums, (nuint)i);
                Vector.ConditionalSelect(better, pick, Vector.LoadUnsafe(ref chosen, (nuint)i)).StoreUnsafe(ref chosen, (nuint)i);
                pick += step;
            }

            for (; i < count; i++)
            {
                long candidate = cost + Unsafe.Add(ref innerStart, i);
                long current = Unsafe.Add(ref sums, i);
                if (outerRight ? candidate <= current : candidate < current)
                {
                    Unsafe.Add(ref sums, i) = candidate;
                    Unsafe.Add(ref chosen, i) = outerRight ? i + 1 : ko;
                }
            }
        }
    }
}
