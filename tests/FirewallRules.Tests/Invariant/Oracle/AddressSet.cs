using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Tests.Invariant.Oracle;

/// <summary>
/// The proofs' own model of a set of addresses, sharing nothing with the engine it checks (no <c>PrefixSet</c>, no <c>IPNetwork</c>
/// parsing, no rule planner): each family's addresses as numbers, the set as closed intervals of them, kept sorted, disjoint and apart
/// (two intervals with no address between them are one). Built from CIDR text read here with <see cref="IPAddress.Parse(string)"/> and
/// a length; every operation is a walk over interval ends, small enough to check by reading.
/// </summary>
internal sealed class AddressSet : IEquatable<AddressSet>
{
    /// <summary>One interval of one family: every address from <paramref name="First"/> to <paramref name="Last"/>, both included.</summary>
    internal readonly record struct Span(bool V6, UInt128 First, UInt128 Last);

    private readonly Span[] _spans;

    private AddressSet(IEnumerable<Span> spans) => _spans = Normalize(spans);

    /// <summary>No address.</summary>
    public static AddressSet Empty { get; } = new([]);

    /// <summary>The intervals, IPv4 first, each family in address order.</summary>
    public IReadOnlyList<Span> Spans => _spans;

    public bool IsEmpty => _spans.Length == 0;

    /// <summary>The addresses of CIDR blocks written as text (<c>20.0.0.0/31</c>, <c>2600::/48</c>; a bare address is one address).</summary>
    /// <exception cref="FormatException">A block with bits set past its length, or a length the family does not have.</exception>
    public static AddressSet Of(IEnumerable<string> cidrs) => new(cidrs.Select(Block));

    public static AddressSet Of(params string[] cidrs) => Of((IEnumerable<string>)cidrs);

    /// <summary>The addresses from <paramref name="first"/> to <paramref name="last"/> (one family).</summary>
    public static AddressSet Range(IPAddress first, IPAddress last) =>
        new([new Span(IsV6(first), Number(first), Number(last))]);

    /// <summary>The interval one CIDR block covers.</summary>
    public static Span Block(string cidr)
    {
        string[] parts = cidr.Trim().Split('/');
        IPAddress address = IPAddress.Parse(parts[0]);
        int width = IsV6(address) ? 128 : 32;
        int length = parts.Length == 1 ? width : int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture);
        if (parts.Length > 2 || length > width)
        {
            throw new FormatException($"{cidr}: not a CIDR block");
        }

        UInt128 hosts = length == 0 ? Max(width) : (UInt128.One << (width - length)) - 1;
        UInt128 first = Number(address);
        return (first & hosts) == 0 ? new Span(width == 128, first, first + hosts) : throw new FormatException($"{cidr}: bits set past /{length}");
    }

    public bool Contains(IPAddress address)
    {
        (bool v6, UInt128 value) = (IsV6(address), Number(address));
        return _spans.Any(s => s.V6 == v6 && s.First <= value && value <= s.Last);
    }

    /// <summary>Whether every address of <paramref name="block"/> (CIDR text) is in the set.</summary>
    public bool Covers(string block) => Of(block).Except(this).IsEmpty;

    public AddressSet Union(AddressSet other) => new(_spans.Concat(other._spans));

    public AddressSet Except(AddressSet other) => Combine(other, (mine, theirs) => mine && !theirs);

    public AddressSet Intersect(AddressSet other) => Combine(other, (mine, theirs) => mine && theirs);

    /// <summary>The addresses of one family.</summary>
    public AddressSet Family(bool v6) => new(_spans.Where(s => s.V6 == v6));

    /// <summary>How many addresses of the family the set holds.</summary>
    public UInt128 Count(bool v6) => _spans.Where(s => s.V6 == v6).Aggregate(UInt128.Zero, (sum, s) => sum + (s.Last - s.First + 1));

    /// <summary>
    /// The fewest CIDR blocks that cover exactly the set, in order: each interval cut greedily into the largest aligned block that
    /// starts where the last ended and does not pass its end.
    /// </summary>
    public IEnumerable<string> Blocks()
    {
        foreach (Span span in _spans)
        {
            int width = span.V6 ? 128 : 32;
            UInt128 start = span.First;
            while (true)
            {
                // The block at start holds 2^size addresses: grow it while it stays aligned and within the interval.
                int size = 0;
                while (size < width)
                {
                    if (size + 1 == 128)
                    {
                        size = start == 0 && span.Last == UInt128.MaxValue ? 128 : size;
                        break;
                    }

                    UInt128 count = UInt128.One << (size + 1);
                    if ((start & (count - 1)) != 0 || span.Last - start < count - 1)
                    {
                        break;
                    }

                    size++;
                }

                UInt128 last = size == 128 ? UInt128.MaxValue : start + ((UInt128.One << size) - 1);
                yield return $"{Address(start, span.V6)}/{width - size}";
                if (last == span.Last)
                {
                    break;
                }

                start = last + 1;
            }
        }
    }

    /// <summary>
    /// Every address where membership can change: the first and last of each interval and the addresses just before and after it
    /// (within the space). Two sets are equal exactly when they agree at every such address of either.
    /// </summary>
    public IEnumerable<(IPAddress Address, string Where)> Boundaries()
    {
        foreach (Span span in _spans)
        {
            string range = $"{Address(span.First, span.V6)}-{Address(span.Last, span.V6)}";
            yield return (Address(span.First, span.V6), $"first of {range}");
            yield return (Address(span.Last, span.V6), $"last of {range}");
            if (span.First > 0)
            {
                yield return (Address(span.First - 1, span.V6), $"just before {range}");
            }

            if (span.Last < Max(span.V6 ? 128 : 32))
            {
                yield return (Address(span.Last + 1, span.V6), $"just after {range}");
            }
        }
    }

    public bool Equals(AddressSet? other) => other is not null && _spans.SequenceEqual(other._spans);

    public override bool Equals(object? obj) => Equals(obj as AddressSet);

    public override int GetHashCode() => _spans.Aggregate(0, (hash, s) => HashCode.Combine(hash, s));

    /// <summary>The intervals as <c>first-last</c>, or one address alone.</summary>
    public override string ToString() => string.Join(' ', _spans.Select(s =>
        s.First == s.Last ? Address(s.First, s.V6).ToString() : $"{Address(s.First, s.V6)}-{Address(s.Last, s.V6)}"));

    /// <summary>An address as a number: its bytes, most significant first.</summary>
    public static UInt128 Number(IPAddress address) =>
        address.GetAddressBytes().Aggregate(UInt128.Zero, (value, b) => (value << 8) | b);

    /// <summary>The address of the family whose number is <paramref name="value"/>.</summary>
    public static IPAddress Address(UInt128 value, bool v6)
    {
        byte[] bytes = new byte[v6 ? 16 : 4];
        for (int i = bytes.Length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return new IPAddress(bytes);
    }

    public static bool IsV6(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6;

    private static UInt128 Max(int width) => width == 128 ? UInt128.MaxValue : (UInt128.One << width) - 1;

    // Sorted by family then first address; an interval that overlaps or touches the one before (no address between) joins it.
    private static Span[] Normalize(IEnumerable<Span> spans)
    {
        var result = new List<Span>();
        foreach (Span span in spans.OrderBy(s => s.V6).ThenBy(s => s.First))
        {
            if (result.Count > 0 && result[^1] is var last && last.V6 == span.V6 && (last.Last == UInt128.MaxValue || span.First <= last.Last + 1))
            {
                result[^1] = last with { Last = UInt128.Max(last.Last, span.Last) };
            }
            else
            {
                result.Add(span);
            }
        }

        return [.. result];
    }

    // Cuts the space at every interval's first address and the address after its last: between two cuts both sets are constant,
    // so the piece is in the result when keep says so of its first address.
    private AddressSet Combine(AddressSet other, Func<bool, bool, bool> keep)
    {
        var pieces = new List<Span>();
        foreach (bool v6 in new[] { false, true })
        {
            UInt128 max = Max(v6 ? 128 : 32);
            UInt128[] cuts = [.. _spans.Concat(other._spans).Where(s => s.V6 == v6)
                .SelectMany(s => s.Last == max ? new[] { s.First } : [s.First, s.Last + 1]).Append(UInt128.Zero).Distinct().Order()];
            for (int i = 0; i < cuts.Length; i++)
            {
                IPAddress at = Address(cuts[i], v6);
                if (keep(Contains(at), other.Contains(at)))
                {
                    pieces.Add(new Span(v6, cuts[i], i + 1 < cuts.Length ? cuts[i + 1] - 1 : max));
                }
            }
        }

        return new AddressSet(pieces);
    }
}
