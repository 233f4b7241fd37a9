using System.Numerics;
using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>Bit arithmetic on addresses of one family, shared by IPv4 (<see cref="uint"/>) and IPv6 (<see cref="UInt128"/>).</summary>
internal static class AddressBits<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>32 or 128; a constant once the JIT specialises the type.</summary>
    public static int Width
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.SizeOf<T>() * 8;
    }

    /// <summary>The bits that belong to hosts in a prefix of <paramref name="length"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HostMask(int length) =>
        // A shift by the full width wraps, so /width is spelled out; for IPv4 a 64-bit shift does that
        // without a branch, which matters in loops over a mix of /24s and /32s.
        typeof(T) == typeof(uint) ? T.CreateTruncating(0xFFFF_FFFFUL >> length)
        : length >= Width ? T.Zero : T.AllBitsSet >>> length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T NetworkMask(int length) => ~HostMask(length);

    /// <summary>
    /// Number of addresses in a prefix of <paramref name="length"/>, minus one. The full IPv6
    /// space holds 2^128 addresses, one more than <see cref="UInt128"/> can count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SizeMinusOne(int length) => HostMask(length);

    /// <summary>The prefix length of the largest aligned block that starts at <paramref name="start"/> and ends no later than <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LargestBlockLength(T start, T end)
    {
        T span = end - start; // addresses in the range minus one, never overflows
        // Alignment: a block of 2^k must start at a multiple of 2^k (zero has Width trailing zeros).
        int alignBits = int.CreateTruncating(T.TrailingZeroCount(start));
        // Size: 2^k - 1 <= span, i.e. k <= bit length of (span + 1); span + 1 overflows only for the whole space.
        int sizeBits = span == T.AllBitsSet ? Width : Width - 1 - int.CreateTruncating(T.LeadingZeroCount(span + T.One));
        // The smaller of the two without a branch: either wins about as often on real data, so a branch mispredicts.
        int difference = alignBits - sizeBits;
        return Width - (sizeBits + (difference & (difference >> 31)));
    }
}
