using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>
/// Prefix parsing and canonical formatting on UTF-8 spans, one file per job: the strict parser, which reads and
/// reports any one prefix (<c>AddressText.Strict.cs</c>, its IPv6 half in <c>AddressText.Strict.IPv6.cs</c>); the list
/// reader's fast path for the common canonical line, IPv4 beside IPv6 (<c>AddressText.FastPath.cs</c>); formatting
/// (<c>AddressText.Formatting.cs</c>); and the reasons given for text that is not a prefix
/// (<c>AddressText.Messages.cs</c>). What they share is here.
/// </summary>
/// <remarks>
/// <para>Our IPv6 text is RFC 5952: lower case, no leading zeros, "::" for the longest run of two or
/// more zero groups (the first on a tie). Following its section 5, the last 32 bits are written as dotted
/// IPv4 where a well-known prefix says they hold one: IPv4-mapped (<c>::ffff:1.2.3.4</c>), IPv4-compatible
/// (<c>::1.2.3.4</c>), IPv4-translated (<c>::ffff:0:1.2.3.4</c>) and ISATAP (<c>…:0:5efe:1.2.3.4</c>), except
/// tails below 0.1.0.0 under the first three (<c>::1</c>, <c>::ffff:0:1</c>). That is exactly what
/// <see cref="System.Net.IPAddress.ToString"/> writes, so a prefix read here prints back the same through
/// <see cref="System.Net.IPNetwork"/>.</para>
/// <para>Strict parsing accepts that text and the other canonical spelling other formatters print: all
/// in hex for every address (Python's ipaddress writes <c>::102:304</c> and <c>::ffff:102:304</c>), and a
/// dotted tail anywhere under those prefixes (Go's net/netip and Rust write <c>::ffff:0.0.0.1</c>).</para>
/// </remarks>
internal static partial class AddressText
{
    /// <summary>Longest valid prefix text: <c>ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128</c>.</summary>
    public const int MaxPrefixLength = 49;

    /// <summary>
    /// Whether the address lies under a well-known prefix that embeds an IPv4 address in its last 32 bits
    /// (RFC 5952 section 5): IPv4-compatible <c>::/96</c>, IPv4-mapped <c>::ffff:0:0/96</c>, IPv4-translated
    /// <c>::ffff:0:0:0/96</c>, or ISATAP's interface identifier <c>0:5efe</c>. A dotted tail may be read there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EmbedsIPv4(ReadOnlySpan<ushort> words) =>
        (words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0
            && ((words[4] == 0 && (words[5] == 0 || words[5] == 0xFFFF)) || (words[4] == 0xFFFF && words[5] == 0)))
        || (words[4] == 0 && words[5] == 0x5EFE);

    /// <summary>The run of zero words that printing writes as "::": the longest of two or more, the first on a tie; start -1 if none.</summary>
    /// <remarks>
    /// Looked up by which words are zero rather than found by a walk that branches on every word: parsing and printing
    /// both ask, once per IPv6 address (with one buffer fewer in the parse, 5 % fewer instructions to aggregate a
    /// million random IPv6 prefixes).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<ushort> words)
    {
        int zeros = 0;
        for (int w = 0; w < words.Length; w++)
        {
            zeros |= (words[w] == 0 ? 1 : 0) << w;
        }

        byte run = ZeroRuns[zeros];
        return run == 0 ? (-1, 0) : (run & 0xF, run >> 4);
    }

    /// <summary>
    /// For each set of zero words (bit w for word w), the run <see cref="LongestZeroRun"/> answers: its start in the low
    /// four bits and its length in the high four, or 0 when no two zero words are adjacent.
    /// </summary>
    internal static readonly byte[] ZeroRuns = CreateZeroRuns();

    private static byte[] CreateZeroRuns()
    {
        var table = new byte[256];
        for (int zeros = 0; zeros < table.Length; zeros++)
        {
            int bestStart = 0, bestLength = 1;
            for (int start = 0; start < 8; start++)
            {
                int length = 0;
                while (start + length < 8 && (zeros & (1 << (start + length))) != 0)
                {
                    length++;
                }

                if (length > bestLength)
                {
                    (bestStart, bestLength) = (start, length);
                }
            }

            table[zeros] = bestLength < 2 ? (byte)0 : (byte)(bestStart | (bestLength << 4));
        }

        return table;
    }

    /// <summary>The largest <see cref="HexValues"/> entry of a canonical hex digit (a decimal digit or a lower-case letter): <c>f</c>.</summary>
    internal const uint MaxLowerCaseDigit = 0xF;

    /// <summary>The largest <see cref="HexValues"/> entry of any hex digit: <c>F</c>.</summary>
    private const uint MaxAnyCaseDigit = 0x1F;

    /// <summary>
    /// The value of each hex digit byte, plus 0x10 for an upper-case letter (at most <see cref="MaxAnyCaseDigit"/>), 0xFF for
    /// any other byte: <c>&lt;= MaxLowerCaseDigit</c> asks for a canonical digit, <c>&lt;= MaxAnyCaseDigit</c> for any. A lookup rather than
    /// range tests: random hex mixes digits and letters, and branching on which one a byte is mispredicts about once per group.
    /// </summary>
    internal static ReadOnlySpan<byte> HexValues =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];
}
