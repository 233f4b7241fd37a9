using System.Buffers.Binary;
using System.Net;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// A prefix in the reference model: an address as a plain number in a space of <see cref="Width"/> bits.
/// The model answers membership by checking every prefix, with no sorting or merging to get wrong.
/// </summary>
public sealed record ModelPrefix(int Width, UInt128 Address, int Length)
{
    public UInt128 Last => Address | HostMask(Width, Length);

    public bool Contains(UInt128 point) => point >= Address && point <= Last;

    public static UInt128 Max(int width) => width == 128 ? UInt128.MaxValue : (UInt128.One << width) - 1;

    public static UInt128 HostMask(int width, int length) => length == width ? UInt128.Zero : Max(width) >> length;

    public IPNetwork ToNetwork() => new(ToAddress(Width, Address), Length);

    public static IPAddress ToAddress(int width, UInt128 value)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(width == 32 ? bytes[12..] : bytes);
    }

    public static ModelPrefix FromNetwork(IPNetwork network)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        network.BaseAddress.TryWriteBytes(bytes[(network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 12 : 0)..], out _);
        int width = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return new ModelPrefix(width, BinaryPrimitives.ReadUInt128BigEndian(bytes), network.PrefixLength);
    }

    public override string ToString() => $"{ToAddress(Width, Address)}/{Length}";
}
