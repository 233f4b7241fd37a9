using System.Numerics;

namespace FirewallRules.Cidr;

/// <summary>An inclusive range of addresses, <c>Start</c> ≤ <c>End</c>.</summary>
internal struct AddressRange<T>(T start, T end)
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    public T Start = start;
    public T End = end;

    public override readonly string ToString() => $"{Start}-{End}";
}
