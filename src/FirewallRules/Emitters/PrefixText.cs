using System.Text;
using FirewallRules.Cidr;

namespace FirewallRules.Emitters;

/// <summary>
/// The writers' ways of putting a set's prefixes into their text (lines between a head and a tail, items between
/// separators, the width of one), formatted from the numbers: no <see cref="System.Net.IPNetwork"/> and no string is made
/// per prefix. The set itself only formats the prefix at an index (<see cref="PrefixSet.FormatUtf8At"/>).
/// </summary>
internal static class PrefixText
{
    /// <summary>
    /// Writes each prefix on a line of its own, between <paramref name="before"/> and <paramref name="after"/> (which
    /// ends the line); nothing for an empty set.
    /// </summary>
    public static void WriteLines(this PrefixSet prefixes, TextWriter writer, string before, string after)
    {
        if (!prefixes.IsEmpty)
        {
            prefixes.WriteEach(writer, before, after);
            writer.Write(after);
        }
    }

    /// <summary>Writes each prefix after <paramref name="indent"/>, with <paramref name="separator"/> between two (none after the last).</summary>
    public static void WriteEach(this PrefixSet prefixes, TextWriter writer, string indent, string separator) =>
        prefixes.WriteEach(writer, indent, separator, Range.All);

    /// <summary>As <see cref="WriteEach(PrefixSet, TextWriter, string, string)"/>, for the prefixes at <paramref name="range"/> of the set's order (IPv4, then IPv6).</summary>
    public static void WriteEach(this PrefixSet prefixes, TextWriter writer, string indent, string separator, Range range)
    {
        (int start, int count) = range.GetOffsetAndLength(prefixes.Count);
        Span<char> chars = stackalloc char[AddressText.MaxPrefixLength];
        string between = separator + indent;
        for (int i = start; i < start + count; i++)
        {
            writer.Write(i > start ? between : indent);
            writer.Write(chars[..prefixes.FormatAt(i, chars)]);
        }
    }

    /// <summary>
    /// The length of the text of the prefix at <paramref name="index"/> of the set's order (IPv4, then IPv6), as
    /// <see cref="WriteEach(PrefixSet, TextWriter, string, string)"/> writes it; nothing is allocated.
    /// </summary>
    public static int TextLength(this PrefixSet prefixes, int index)
    {
        Span<byte> buffer = stackalloc byte[AddressText.MaxPrefixLength];
        return prefixes.FormatUtf8At(index, buffer);
    }

    /// <summary>
    /// Writes the prefix at <paramref name="index"/> (IPv4 first, as enumerated) into <paramref name="destination"/>, at
    /// least <see cref="AddressText.MaxPrefixLength"/> long; returns the characters written.
    /// </summary>
    public static int FormatAt(this PrefixSet prefixes, int index, Span<char> destination)
    {
        Span<byte> buffer = stackalloc byte[AddressText.MaxPrefixLength];
        Ascii.ToUtf16(buffer[..prefixes.FormatUtf8At(index, buffer)], destination, out int written);
        return written;
    }
}
