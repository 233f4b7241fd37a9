using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// The bulk list reader's common lines, both families side by side: one pass over the common line (a canonical address,
/// an optional length, nothing else), no search for where the address and the line end. Anything else is left to the
/// strict parser (<see cref="AddressText"/>), which reads or reports it.
/// </summary>
internal static class CommonLines
{
    /// <summary>Four decimal octets without leading zeros from <paramref name="i"/>, which then stands on the byte after them (false when there is none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadDottedQuad(ReadOnlySpan<byte> data, ref int i, out uint address)
    {
        address = 0;
        for (int octet = 0; ; octet++)
        {
            uint part;
            if (i >= data.Length || (part = (uint)(data[i++] - '0')) > 9)
            {
                return false;
            }

            if (part != 0)
            {
                // Up to two more digits; a zero stands alone (a leading zero is an error the general path reports).
                for (int digits = 1; digits < 3 && i < data.Length && (uint)(data[i] - '0') <= 9; digits++)
                {
                    part = (part * 10) + (uint)(data[i++] - '0');
                }

                if (part > 255)
                {
                    return false;
                }
            }

            address = (address << 8) | part;
            if (i >= data.Length)
            {
                return false;
            }

            if (octet == 3)
            {
                return true;
            }

            if (data[i++] != '.')
            {
                return false;
            }
        }
    }

    /// <summary>
    /// An optional <c>/length</c> (0 to <paramref name="width"/>) at <paramref name="i"/>; <paramref name="width"/> without
    /// one, false where the data ends (the line is not complete yet). A leading zero ends the length after the zero, where
    /// the line end the caller then looks for is missing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadLength(ReadOnlySpan<byte> data, ref int i, int width, out int length)
    {
        length = width;
        if (i >= data.Length)
        {
            return false;
        }

        if (data[i] != '/')
        {
            return true;
        }

        uint first;
        if (++i >= data.Length || (first = (uint)(data[i++] - '0')) > 9)
        {
            return false;
        }

        // A zero stands alone; otherwise up to two more digits, the third only where a length can have three (IPv6).
        uint value = first, digit;
        if (first != 0 && i < data.Length && (digit = (uint)(data[i] - '0')) <= 9)
        {
            value = (value * 10) + digit;
            i++;
            if (width > 99 && i < data.Length && (digit = (uint)(data[i] - '0')) <= 9)
            {
                value = (value * 10) + digit;
                i++;
            }
        }

        length = (int)value;
        return value <= (uint)width;
    }

    /// <summary>
    /// Reads, from <paramref name="i"/>, an IPv6 address spelled as nearly every list spells it: all in hex and canonical
    /// (lower case, no leading zeros, "::" exactly where <c>AddressText.LongestZeroRun</c> puts it): the list reader's fast path,
    /// one pass over a line that needs no search for where the address and the line end. True when the text from
    /// <paramref name="i"/> starts with such an address; <paramref name="i"/> then stands on the first byte it did not read,
    /// <b>which the caller must check ends the address</b> (a '/' or the line end): an address that goes on in another
    /// spelling (an upper-case digit, a dotted tail, a fifth digit, a third ':') stops the read there. False, with
    /// <paramref name="i"/> unchanged, where what was read is not such an address; <see cref="AddressText.TryParse"/> then reads or
    /// reports the line.
    /// </summary>
    /// <remarks>
    /// The groups go straight into the two halves, shifted in as they come; those before "::" are set aside and moved up
    /// once at the end. Canonical "::" is checked on which groups are zero (<see cref="AddressText.ZeroRuns"/>), with no word buffer.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadCanonicalIPv6(ReadOnlySpan<byte> data, ref int i, out ulong upper, out ulong lower)
    {
        upper = lower = 0;
        ulong headUpper = 0, headLower = 0;
        int at = i, count = 0, compressAt = -1, zeroGroups = 0;
        if (data[at..].StartsWith("::"u8))
        {
            compressAt = 0;
            at += 2;
        }

        while (at < data.Length && AddressText.HexValues[data[at]] <= AddressText.MaxLowerCaseDigit)
        {
            int start = at;
            uint group = 0, digit;
            for (int end = Math.Min(data.Length, start + 4); at < end && (digit = AddressText.HexValues[data[at]]) <= AddressText.MaxLowerCaseDigit; at++)
            {
                group = (group << 4) | digit; // at most four: a fifth is left where the caller looks for the end
            }

            if (count == 8 || (data[start] == '0' && at - start > 1))
            {
                return false;
            }

            upper = (upper << 16) | (lower >> 48);
            lower = (lower << 16) | group;
            zeroGroups |= (group == 0 ? 1 : 0) << count++;
            if (at == data.Length || data[at] != ':')
            {
                break; // the address ends here (a fifth digit too: no separator follows, and the caller finds no end)
            }

            if (at + 1 < data.Length && data[at + 1] == ':')
            {
                if (compressAt >= 0)
                {
                    return false; // a second "::"
                }

                (compressAt, headUpper, headLower, upper, lower) = (count, upper, lower, 0, 0);
                at += 2;
            }
            else if (++at == data.Length || AddressText.HexValues[data[at]] > AddressText.MaxLowerCaseDigit)
            {
                return false; // a single ':' that no group follows
            }
        }

        if (!TryCloseGap(count, compressAt, zeroGroups, headUpper, headLower, ref upper, ref lower))
        {
            return false;
        }

        i = at;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="count"/> groups with "::" after the first <paramref name="compressAt"/> of them (-1: no "::")
    /// are a whole canonical address, given which were zero (<paramref name="zeroGroups"/>, bit n for the n-th read); if
    /// so, moves the groups read before "::" (the head) above the gap, into <paramref name="upper"/> and
    /// <paramref name="lower"/>, which hold the groups read after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryCloseGap(int count, int compressAt, int zeroGroups, ulong headUpper, ulong headLower, ref ulong upper, ref ulong lower)
    {
        int zeros = 8 - count;
        if (compressAt < 0)
        {
            return zeros == 0 && AddressText.ZeroRuns[zeroGroups] == 0;
        }

        // Where "::" stands, zeros fill the gap; the groups read after it (in the low bits) are the last ones.
        int headMask = (1 << compressAt) - 1;
        zeroGroups = (zeroGroups & headMask) | (((1 << zeros) - 1) << compressAt) | ((zeroGroups & ~headMask) << zeros);
        if (zeros == 0 || AddressText.ZeroRuns[zeroGroups] != (compressAt | (zeros << 4)))
        {
            return false;
        }

        if (compressAt > 0)
        {
            ShiftLeft(ref headUpper, ref headLower, 16 * (8 - compressAt));
            (upper, lower) = (upper | headUpper, lower | headLower);
        }

        return true;
    }

    /// <summary>Shifts a 128-bit value held in two halves left by 1 to 127 <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeft(ref ulong upper, ref ulong lower, int bits)
    {
        if (bits >= 64)
        {
            upper = lower << (bits - 64);
            lower = 0;
        }
        else
        {
            upper = (upper << bits) | (lower >> (64 - bits));
            lower <<= bits;
        }
    }
}
