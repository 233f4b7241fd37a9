using System.Numerics;

namespace FirewallRules.Cidr;

/// <summary>An inclusive range of addresses, <c>Start</c> ≤ <c>End</c>.</summary>
internal struct AddressRange<T>(T start, T end) : ISortKey<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    public T Start = start;
    public T End = end;

    public readonly T Key => Start;

    public override readonly string ToString() => $"{Start}-{End}";
}
