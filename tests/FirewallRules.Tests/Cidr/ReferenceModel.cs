using System.Numerics;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The deliberately simple model the engine is proven against. Two unions of intervals differ somewhere
/// only if they differ at an interval start or just past an interval end, so comparing membership at
/// every such boundary point of both sides compares the sets exactly, even for /0 where expanding
/// addresses one by one is impossible.
/// </summary>
internal static class ReferenceModel
{
    public static bool Contains(IEnumerable<ModelPrefix> prefixes, UInt128 point) => prefixes.Any(p => p.Contains(point));

    /// <summary>Every start, end and neighbour of an end or start of the given prefixes, within the space.</summary>
    public static IEnumerable<UInt128> BoundaryPoints(int width, IEnumerable<ModelPrefix> prefixes)
    {
        UInt128 max = ModelPrefix.Max(width);
        var points = new HashSet<UInt128> { UInt128.Zero, max };
        foreach (ModelPrefix p in prefixes.Where(p => p.Width == width))
        {
            points.Add(p.Address);
            points.Add(p.Last);
            if (p.Address > UInt128.Zero)
            {
                points.Add(p.Address - 1);
            }

            if (p.Last < max)
            {
                points.Add(p.Last + 1);
            }
        }

        return points;
    }

    /// <summary>Whether the prefixes hold every address of <paramref name="prefix"/>: the part of each inside it, joined in order, leaves no gap.</summary>
    public static bool Holds(IEnumerable<ModelPrefix> prefixes, ModelPrefix prefix)
    {
        BigInteger next = (BigInteger)prefix.Address; // the first address not yet known to be held
        foreach (ModelPrefix p in prefixes.Where(p => p.Width == prefix.Width && p.Last >= prefix.Address && p.Address <= prefix.Last).OrderBy(p => p.Address))
        {
            if ((BigInteger)p.Address > next)
            {
                return false;
            }

            next = BigInteger.Max(next, (BigInteger)p.Last + 1);
        }

        return next > (BigInteger)prefix.Last;
    }

    /// <summary>The engine's output is sorted, disjoint and has no two siblings that should have merged.</summary>
    public static string? StructureProblem(IReadOnlyList<ModelPrefix> output)
    {
        for (int i = 1; i < output.Count; i++)
        {
            ModelPrefix a = output[i - 1], b = output[i];
            if (a.Width != b.Width)
            {
                if (a.Width > b.Width)
                {
                    return $"IPv6 {a} listed before IPv4 {b}";
                }

                continue;
            }

            if (a.Last >= b.Address)
            {
                return $"{a} and {b} overlap or are out of order";
            }

            bool siblings = a.Length == b.Length && a.Length > 0
                && (a.Address ^ b.Address) == (UInt128.One << (a.Width - a.Length));
            if (siblings)
            {
                return $"{a} and {b} are siblings and should have merged";
            }
        }

        return null;
    }
}
