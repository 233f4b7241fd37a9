using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Cidr;

/// <summary>Conversions between the engine's numeric blocks and <see cref="IPNetwork"/> at the public edge.</summary>
internal static class Interop
{
    public static IPNetwork ToNetwork(CidrBlock<uint> block)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, block.Address);
        return new IPNetwork(new IPAddress(bytes), block.Length);
    }

    public static IPNetwork ToNetwork(CidrBlock<UInt128> block)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, block.Address);
        return new IPNetwork(new IPAddress(bytes), block.Length);
    }

    /// <summary>
    /// Reads an <see cref="IPNetwork"/> (which always has its host bits clear) as one family's block:
    /// true when it is IPv6 (in <paramref name="v6"/>), false when IPv4 (in <paramref name="v4"/>).
    /// </summary>
    public static bool IsIPv6(IPNetwork network, out CidrBlock<uint> v4, out CidrBlock<UInt128> v6)
    {
        Span<byte> bytes = stackalloc byte[16];
        IPAddress address = network.BaseAddress;
        if (!address.TryWriteBytes(bytes, out int written))
        {
            throw new ArgumentException($"Cannot read the address of {network}.", nameof(network));
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            v4 = new CidrBlock<uint>(BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]), network.PrefixLength);
            v6 = default;
            return false;
        }

        v4 = default;
        v6 = new CidrBlock<UInt128>(BinaryPrimitives.ReadUInt128BigEndian(bytes[..written]), network.PrefixLength);
        return true;
    }

    /// <summary>Reads an address as one family's number: true when it is IPv6 (in <paramref name="v6"/>), false when IPv4 (in <paramref name="v4"/>).</summary>
    public static bool IsIPv6(IPAddress address, out uint v4, out UInt128 v6)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        if (written == 4)
        {
            v4 = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            v6 = default;
            return false;
        }

        v4 = 0;
        v6 = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }
}
