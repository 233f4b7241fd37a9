using System.Collections;
using System.Net;
using System.Numerics;
using System.Text;
using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules;

/// <summary>
/// An immutable set of IPv4 and IPv6 addresses, held as the minimal sorted list of prefixes that covers
/// exactly those addresses: contained prefixes are dropped and adjacent siblings merged, repeatedly.
/// </summary>
/// <remarks>
/// <para>Creating a set aggregates it, so two sets are equal exactly when they hold the same addresses,
/// however their prefixes were written. Enumeration yields IPv4 prefixes, then IPv6, each in address order.</para>
/// <para>IPv4-mapped IPv6 prefixes (<c>::ffff:a.b.c.d</c>) are IPv6 here; they never match IPv4 addresses.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class PrefixSet : IReadOnlyCollection<IPNetwork>, IEquatable<PrefixSet>
{
    /// <summary>
    /// The doors to the bulk path (<c>Cidr/Bulk</c>): text this long, streams and files (<see cref="Read"/>,
    /// <see cref="Load"/>, <see cref="ReadAsync"/>) and writing to a stream go through it; everything else is the strict
    /// engine's. Both give the same set and the same bytes.
    /// </summary>
    private const int BulkMinimumBytes = 1 << 16;

    private readonly CidrBlock<uint>[] _v4;
    private readonly ArraySegment<CidrBlock<UInt128>> _v6;

    internal PrefixSet(CidrBlock<uint>[] v4, CidrBlock<UInt128>[] v6)
        : this(v4, new ArraySegment<CidrBlock<UInt128>>(v6))
    {
    }

    /// <summary>A set whose IPv6 blocks are part of a longer array: the bulk path collapses them where it read them.</summary>
    internal PrefixSet(CidrBlock<uint>[] v4, ArraySegment<CidrBlock<UInt128>> v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    /// <summary>The set with no addresses.</summary>
    public static PrefixSet Empty { get; } = new([], []);

    /// <summary>Number of prefixes after aggregation (IPv4 and IPv6).</summary>
    public int Count => _v4.Length + _v6.Count;

    /// <summary>True when the set holds no address.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The IPv4 part of this set.</summary>
    public PrefixSet IPv4 => _v6.Count == 0 ? this : new(_v4, []);

    /// <summary>The IPv6 part of this set.</summary>
    public PrefixSet IPv6 => _v4.Length == 0 ? this : new([], _v6);

    /// <summary>Number of IPv4 addresses in the set (at most 2^32).</summary>
    // An absent family is not counted, which would compile the counting loop for nothing.
    public UInt128 IPv4AddressCount => _v4.Length == 0 ? UInt128.Zero : RangeAlgebra<uint>.CountAddresses(_v4);

    /// <summary>Number of IPv6 addresses in the set.</summary>
    /// <exception cref="OverflowException">The set holds all of IPv6 (<c>::/0</c>): 2^128 addresses do not fit in <see cref="UInt128"/>.</exception>
    public UInt128 IPv6AddressCount => _v6.Count == 0 ? UInt128.Zero : RangeAlgebra<UInt128>.CountAddresses(_v6);

    internal ReadOnlySpan<CidrBlock<uint>> IPv4Blocks => _v4;

    internal ReadOnlySpan<CidrBlock<UInt128>> IPv6Blocks => _v6;

    /// <summary>Aggregates prefixes into a set.</summary>
    /// <remarks><see cref="IPNetwork"/> always has its host bits clear. Note that <c>default(IPNetwork)</c> is <c>0.0.0.0/0</c>.</remarks>
    public static PrefixSet Create(IEnumerable<IPNetwork> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var v4 = new List<AddressRange<uint>>();
        var v6 = new List<AddressRange<UInt128>>();
        foreach (IPNetwork prefix in prefixes)
        {
            if (Interop.IsIPv6(prefix, out CidrBlock<uint> block4, out CidrBlock<UInt128> block6))
            {
                v6.Add(block6.Range);
            }
            else
            {
                v4.Add(block4.Range);
            }
        }

        return new PrefixSet(Collapse(v4.ToArray()), Collapse(v6.ToArray()));
    }

    /// <inheritdoc cref="Create(IEnumerable{IPNetwork})"/>
    public static PrefixSet Create(params ReadOnlySpan<IPNetwork> prefixes) => Create((IEnumerable<IPNetwork>)prefixes.ToArray());

    /// <summary>
    /// Parses a prefix list: one prefix per line, blank lines and <c>#</c> comments (whole-line or after
    /// the prefix) allowed, <c>\n</c> or <c>\r\n</c> line ends.
    /// </summary>
    /// <exception cref="PrefixFormatException">A line is not valid; the message names the line, the column and the reason.</exception>
    public static PrefixSet Parse(string text, PrefixParseOptions options = PrefixParseOptions.None)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), options);
    }

    /// <inheritdoc cref="Parse(string, PrefixParseOptions)"/>
    public static PrefixSet Parse(ReadOnlySpan<byte> utf8Text, PrefixParseOptions options = PrefixParseOptions.None)
    {
        if (utf8Text.Length >= BulkMinimumBytes)
        {
            var bulk = new BulkListReader(options, utf8Text.Length / 14);
            bulk.Feed(utf8Text, final: true);
            return bulk.ToPrefixSet();
        }

        var reader = new PrefixListReader(options, utf8Text.Length / 14);
        reader.Feed(utf8Text, final: true);
        return reader.ToPrefixSet();
    }

    /// <summary>Reads a prefix list from a file (UTF-8, format as in <see cref="Parse(string, PrefixParseOptions)"/>).</summary>
    /// <exception cref="PrefixFormatException">A line is not valid.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PrefixSet Load(string path, PrefixParseOptions options = PrefixParseOptions.None)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(file, options);
    }

    /// <summary>Reads a prefix list from a stream to its end (for example standard input).</summary>
    /// <exception cref="PrefixFormatException">A line is not valid.</exception>
    public static PrefixSet Read(Stream stream, PrefixParseOptions options = PrefixParseOptions.None)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return BulkListReader.Read(stream, options).ToPrefixSet();
    }

    /// <summary>Reads a prefix list from a stream to its end, asynchronously.</summary>
    /// <exception cref="PrefixFormatException">A line is not valid.</exception>
    public static async Task<PrefixSet> ReadAsync(Stream stream, PrefixParseOptions options = PrefixParseOptions.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        BulkListReader reader = await BulkListReader.ReadAsync(stream, options, cancellationToken).ConfigureAwait(false);
        return reader.ToPrefixSet();
    }

    /// <summary>Whether <paramref name="address"/> is in the set; O(log n).</summary>
    /// <remarks>
    /// <para>An IPv4-mapped IPv6 address (<c>::ffff:192.0.2.1</c>) is looked up as IPv6.</para>
    /// <para>An IPv6 address with a zone (<see cref="IPAddress.ScopeId"/> not 0, as in <c>fe80::1%eth0</c>
    /// or <c>fd00::1%5</c>) is in no set: prefixes carry no zone, so none holds a zoned address (Go's
    /// netipx decides the same). To ask about the address without its zone, pass
    /// <c>new IPAddress(address.GetAddressBytes())</c>.</para>
    /// </remarks>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Interop.IsIPv6(address, out uint v4, out UInt128 v6))
        {
            return address.ScopeId == 0 && RangeAlgebra<UInt128>.IndexOf(_v6, v6) >= 0;
        }

        return RangeAlgebra<uint>.IndexOf(_v4, v4) >= 0;
    }

    /// <summary>Whether every address of <paramref name="network"/> is in the set.</summary>
    public bool Contains(IPNetwork network) =>
        Interop.IsIPv6(network, out CidrBlock<uint> v4, out CidrBlock<UInt128> v6)
            ? RangeAlgebra<UInt128>.Covers(_v6, v6)
            : RangeAlgebra<uint>.Covers(_v4, v4);

    /// <summary>Every address in this set or in <paramref name="other"/>.</summary>
    public PrefixSet Union(PrefixSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        // Sets are immutable, so a union with nothing, or with the same addresses (a section's set, once per port of a
        // rule set), is one of the sets itself, not a copy of it: comparing costs no memory, a copy twice the set's.
        return other.IsEmpty || ReferenceEquals(this, other) || Equals(other) ? this
            : IsEmpty ? other
            : new(RangeAlgebra<uint>.Union(_v4, other._v4), RangeAlgebra<UInt128>.Union(_v6, other._v6));
    }

    /// <summary>The addresses in both this set and <paramref name="other"/>.</summary>
    public PrefixSet Intersect(PrefixSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(RangeAlgebra<uint>.Intersect(_v4, other._v4), RangeAlgebra<UInt128>.Intersect(_v6, other._v6));
    }

    /// <summary>The addresses in this set that are not in <paramref name="other"/> (for example, minus RFC 1918).</summary>
    public PrefixSet Except(PrefixSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(RangeAlgebra<uint>.Except(_v4, other._v4), RangeAlgebra<UInt128>.Except(_v6, other._v6));
    }

    /// <summary>Whether every address of this set is also in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(PrefixSet other) => Except(other).IsEmpty;

    /// <summary>
    /// The cover of at most <paramref name="maxPrefixes"/> prefixes (IPv4 and IPv6 together) that adds the
    /// fewest addresses; optimal, not a heuristic. Returns this set unchanged when it already fits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below 1, or below 2 when the set holds both families.</exception>
    public PrefixSummary Summarize(int maxPrefixes)
    {
        int families = (_v4.Length > 0 ? 1 : 0) + (_v6.Count > 0 ? 1 : 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPrefixes, Math.Max(1, families));
        if (Count <= maxPrefixes)
        {
            return new PrefixSummary(this, this, UInt128.Zero, UInt128.Zero);
        }

        var v4 = new PrefixSummarizer<uint, uint>(_v4, maxPrefixes);
        var v6 = new PrefixSummarizer<UInt128, UInt128>(_v6, maxPrefixes);
        UInt128[] curve4 = v4.CostCurve(), curve6 = v6.CostCurve();

        // Split the budget between the families; costs are compared as exact integers because the sum of
        // two 128-bit counts can exceed 128 bits.
        int min4 = _v4.Length > 0 ? 1 : 0, min6 = _v6.Count > 0 ? 1 : 0;
        int best4 = -1;
        BigInteger bestCost = default;
        for (int k4 = min4; k4 < curve4.Length && k4 <= maxPrefixes - min6; k4++)
        {
            int k6 = Math.Min(maxPrefixes - k4, curve6.Length - 1);
            BigInteger cost = (BigInteger)curve4[k4] + (BigInteger)curve6[k6];
            if (best4 < 0 || cost < bestCost)
            {
                best4 = k4;
                bestCost = cost;
            }
        }

        int best6 = Math.Min(maxPrefixes - best4, curve6.Length - 1);
        return Summarize(v4, curve4, best4, v6, curve6, best6);
    }

    /// <summary>
    /// The cover with at most <paramref name="maxIPv4Prefixes"/> IPv4 and <paramref name="maxIPv6Prefixes"/>
    /// IPv6 prefixes that adds the fewest addresses in each family, for platforms that count the two
    /// families separately (AWS security groups do). Returns this set unchanged when it already fits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A budget is below 1 while the set holds that family.</exception>
    public PrefixSummary Summarize(int maxIPv4Prefixes, int maxIPv6Prefixes) => Summarize(maxIPv4Prefixes, maxIPv6Prefixes, 0, 0);

    /// <summary>
    /// As <see cref="Summarize(int, int)"/>, but every prefix a summary chooses is at least
    /// <paramref name="minimumIPv4Length"/> (IPv4) or <paramref name="minimumIPv6Length"/> (IPv6) long, so
    /// extra addresses only come from blocks of that size that already hold listed addresses: an
    /// allow-list is never widened to something like <c>0.0.0.0/1</c>. (Chosen neighbours may still merge
    /// into a shorter prefix covering exactly the same addresses.)
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A budget is below 1 while the set holds that family, or is too small to cover the family without prefixes shorter than its minimum length.
    /// </exception>
    public PrefixSummary Summarize(int maxIPv4Prefixes, int maxIPv6Prefixes, int minimumIPv4Length, int minimumIPv6Length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIPv4Prefixes, _v4.Length > 0 ? 1 : 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIPv6Prefixes, _v6.Count > 0 ? 1 : 0);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumIPv4Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumIPv4Length, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumIPv6Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumIPv6Length, 128);
        if (_v4.Length <= maxIPv4Prefixes && _v6.Count <= maxIPv6Prefixes)
        {
            return new PrefixSummary(this, this, UInt128.Zero, UInt128.Zero); // already fits: nothing beats adding nothing
        }

        var v4 = new PrefixSummarizer<uint, uint>(_v4, maxIPv4Prefixes, minimumIPv4Length);
        var v6 = new PrefixSummarizer<UInt128, UInt128>(_v6, maxIPv6Prefixes, minimumIPv6Length);
        UInt128[] curve4 = v4.CostCurve(), curve6 = v6.CostCurve();
        CheckFeasible(curve4, "IPv4", maxIPv4Prefixes, minimumIPv4Length);
        CheckFeasible(curve6, "IPv6", maxIPv6Prefixes, minimumIPv6Length);
        return Summarize(v4, curve4, curve4.Length - 1, v6, curve6, curve6.Length - 1);

        static void CheckFeasible(UInt128[] curve, string family, int budget, int minimumLength)
        {
            if (curve[^1] == PrefixSummarizer<uint, uint>.Impossible)
            {
                throw new ArgumentOutOfRangeException(
                    family == "IPv4" ? nameof(maxIPv4Prefixes) : nameof(maxIPv6Prefixes),
                    budget,
                    $"{budget} {family} prefixes cannot cover the set without prefixes shorter than /{minimumLength}: raise the budget");
            }
        }
    }

    private PrefixSummary Summarize(
        PrefixSummarizer<uint, uint> v4, UInt128[] curve4, int k4, PrefixSummarizer<UInt128, UInt128> v6, UInt128[] curve6, int k6)
    {
        // The chosen prefixes are disjoint; collapsing them merges any siblings the choice left side by side.
        CidrBlock<uint>[] chosen4 = ToCollapsed(v4.Select(k4));
        CidrBlock<UInt128>[] chosen6 = ToCollapsed(v6.Select(k6));
        return new PrefixSummary(this, new PrefixSet(chosen4, chosen6), curve4[k4], curve6[k6]);
    }

    private static CidrBlock<T>[] ToCollapsed<T>(List<CidrBlock<T>> blocks)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        var ranges = new AddressRange<T>[blocks.Count];
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = blocks[i].Range;
        }

        return Collapse(ranges);
    }

    /// <summary>
    /// Collapses ranges with the strict engine, or with the bulk path's (<see cref="BulkAlgebra{T}"/>) from
    /// <see cref="RadixSorter{T}.DefaultScratchLimit"/> ranges on; both give the same blocks.
    /// </summary>
    private static CidrBlock<T>[] Collapse<T>(AddressRange<T>[] ranges)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T> =>
        ranges.Length > RadixSorter<T>.DefaultScratchLimit ? BulkAlgebra<T>.Collapse(ranges) : RangeAlgebra<T>.Collapse(ranges);

    /// <summary>Writes the prefixes, one per line (<c>\n</c>), as UTF-8.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        BlockTextWriter.Write(_v4, _v6, stream);
    }

    /// <summary>Writes the prefixes, one per line.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> bytes = stackalloc byte[AddressText.MaxPrefixLength + 1];
        Span<char> chars = stackalloc char[AddressText.MaxPrefixLength + 1];
        for (int i = 0; i < Count; i++)
        {
            int length = FormatUtf8At(i, bytes);
            bytes[length++] = (byte)'\n';
            Ascii.ToUtf16(bytes[..length], chars, out int written);
            writer.Write(chars[..written]);
        }
    }

    /// <summary>The <paramref name="count"/> prefixes from <paramref name="start"/> (IPv4 first, as enumerated), as a set of their own.</summary>
    internal PrefixSet Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        int end = start + count;
        return new(_v4[Math.Min(start, _v4.Length)..Math.Min(end, _v4.Length)], _v6[(Math.Max(start, _v4.Length) - _v4.Length)..(Math.Max(end, _v4.Length) - _v4.Length)]);
    }

    /// <summary>
    /// Writes the prefix at <paramref name="index"/> (IPv4 first, as enumerated) into <paramref name="destination"/>, at
    /// least <see cref="AddressText.MaxPrefixLength"/> long, as UTF-8 text from the numbers; returns the bytes written.
    /// The writers' helpers (Emitters/PrefixText.cs) are built on it.
    /// </summary>
    internal int FormatUtf8At(int index, Span<byte> destination) => index < _v4.Length
        ? AddressText.FormatBlock(_v4[index], destination)
        : AddressText.FormatBlock(_v6[index - _v4.Length], destination);

    /// <summary>The prefixes, one per line.</summary>
    public override string ToString()
    {
        using var writer = new StringWriter();
        WriteTo(writer);
        return writer.ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<IPNetwork> GetEnumerator()
    {
        foreach (CidrBlock<uint> block in _v4)
        {
            yield return Interop.ToNetwork(block);
        }

        foreach (CidrBlock<UInt128> block in _v6)
        {
            yield return Interop.ToNetwork(block);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Whether both sets hold exactly the same addresses.</summary>
    public bool Equals(PrefixSet? other) =>
        other is not null && _v4.AsSpan().SequenceEqual(other._v4) && _v6.AsSpan().SequenceEqual(other._v6);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PrefixSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_v4.Length);
        hash.Add(_v6.Count);
        if (_v4.Length > 0)
        {
            hash.Add(_v4[0]);
            hash.Add(_v4[^1]);
        }

        if (_v6.Count > 0)
        {
            hash.Add(_v6[0]);
            hash.Add(_v6[^1]);
        }

        return hash.ToHashCode();
    }
}
