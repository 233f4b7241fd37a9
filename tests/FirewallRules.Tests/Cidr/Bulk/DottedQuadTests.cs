using System.Globalization;
using System.Net;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// The list reader's two ways to read a dotted quad: sixteen bytes at once and a byte at a time must accept
/// the same common lines with the same address, and what they accept must be what the strict parser reads. The lines
/// are made of the bytes a dotted quad is made of, so that nearly every near miss is tried: leading zeros, four digits,
/// octets above 255, missing and extra dots, lengths of one to three digits, "\r\n".
/// </summary>
[TestFixture]
public class DottedQuadTests
{
    [Test]
    public void ReadVector_RandomLinesOfDigitsAndDots_AcceptsWhatReadScalarAcceptsWithTheSameAddress()
    {
        RequireVector();
        var random = new Random(32);
        byte[] alphabet = "0123456789./\r\n "u8.ToArray();
        int accepted = 0;
        for (int n = 0; n < 300_000; n++)
        {
            byte[] line = Encoding.ASCII.GetBytes(NearLine(random).PadRight(32, '\n'));
            if (random.Next(4) == 0)
            {
                line[random.Next(20)] = alphabet[random.Next(alphabet.Length)];
            }

            accepted += CheckAgree(line) ? 1 : 0;
        }

        // The lines are near misses: a fair share must still be whole lines, or the comparison proves little.
        Assert.That(accepted, Is.GreaterThan(15_000));
    }

    /// <summary>A line that is, or nearly is, a common IPv4 line: three to five octets of up to four digits, a length, a line end.</summary>
    private static string NearLine(Random random)
    {
        string Octet() => random.Next(12) switch
        {
            0 => "0" + random.Next(100).ToString(CultureInfo.InvariantCulture), // a leading zero
            1 => random.Next(1000, 10000).ToString(CultureInfo.InvariantCulture), // four digits
            _ => random.Next(random.Next(2) == 0 ? 10 : 300).ToString(CultureInfo.InvariantCulture),
        };

        int octets = random.Next(10) switch { 0 => 3, 1 => 5, _ => 4 };
        string address = string.Join(random.Next(30) == 0 ? ".." : ".", Enumerable.Range(0, octets).Select(_ => Octet()));
        string length = random.Next(3) switch
        {
            0 => "",
            1 => "/" + random.Next(33).ToString(CultureInfo.InvariantCulture),
            _ => "/" + random.Next(16, 40).ToString(CultureInfo.InvariantCulture),
        };
        string end = random.Next(8) switch { 0 => "\r\n", 1 => " \n", 2 => "\r\r", _ => "\n" };
        return address + length + end;
    }

    [Test]
    public void ReadVector_EveryDigitCountOfTheFourOctets_ReadsEachBoundaryValue()
    {
        RequireVector();
        int[][] values = [[0, 5, 9], [10, 42, 99], [100, 199, 255, 256, 999]];
        var random = new Random(81);
        for (int pattern = 0; pattern < 81; pattern++)
        {
            int[] digits = [(pattern % 3) + 1, (pattern / 3 % 3) + 1, (pattern / 9 % 3) + 1, (pattern / 27) + 1];
            for (int n = 0; n < 20; n++)
            {
                string address = string.Join('.', digits.Select(d => values[d - 1][random.Next(values[d - 1].Length)]));
                foreach (string line in new[] { address, address + "/32", address + "/0" })
                {
                    byte[] bytes = Encoding.ASCII.GetBytes((line + "\n").PadRight(32, '\n'));
                    bool valid = address.Split('.').All(octet => int.Parse(octet, System.Globalization.CultureInfo.InvariantCulture) <= 255)
                        && (!line.EndsWith("/0", StringComparison.Ordinal) || address == "0.0.0.0"); // a /0 of any other address has host bits
                    Assert.That(CheckAgree(bytes), Is.EqualTo(valid), line);
                }
            }
        }
    }

    /// <summary>Checks both ways on the line at the start of <paramref name="line"/> (32 bytes); returns whether they accepted it.</summary>
    private static bool CheckAgree(byte[] line)
    {
        string text = Encoding.ASCII.GetString(line);
        ref byte start = ref MemoryMarshal.GetArrayDataReference(line);
        int vector = BulkListReader.ReadLineEnd(ref start, DottedQuad.ReadVector(ref start, 0, out uint vectorAddress, DottedQuad.Tables), vectorAddress, out uint vectorHost);
        int scalar = BulkListReader.ReadLineEnd(ref start, DottedQuad.ReadScalar(ref start, 0, out uint scalarAddress), scalarAddress, out uint scalarHost);
        Assert.That(vector, Is.EqualTo(scalar), text);
        if (vector < 0)
        {
            return false;
        }

        Assert.That((vectorAddress, vectorHost), Is.EqualTo((scalarAddress, scalarHost)), text);
        string read = text[..vector].TrimEnd('\n', '\r');
        var expected = new IPNetwork(
            new IPAddress([(byte)(vectorAddress >> 24), (byte)(vectorAddress >> 16), (byte)(vectorAddress >> 8), (byte)vectorAddress]), 32 - BitOperations.PopCount(vectorHost));
        Assert.That(PrefixSet.Parse(read).Single(), Is.EqualTo(expected), text);
        return true;
    }

    private static void RequireVector()
    {
        if (!DottedQuad.IsVectorised)
        {
            // Every x64 machine .NET 10 runs on has SSSE3: there the vector way must run.
            Assert.That(RuntimeInformation.ProcessArchitecture, Is.Not.EqualTo(System.Runtime.InteropServices.Architecture.X64), "SSSE3 missing on x64");
            Assert.Ignore("no SSSE3: this processor reads dotted quads a byte at a time");
        }
    }
}
