using System.Text;
using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// A file read in two halves on two threads gives exactly what one reader from the start gives: the same set,
/// the same counts, and for a bad line anywhere, the first half's last line and the second half's first included, the
/// same line, column and message.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class BulkListReaderHalvesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-halves-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 300)]
    public void ReadInHalves_AnyLines_GivesWhatOneReaderGives(TextLines input)
    {
        foreach (PrefixParseOptions options in new[] { PrefixParseOptions.None, PrefixParseOptions.AnyIPv6Text | PrefixParseOptions.ClearHostBits })
        {
            foreach (string newline in new[] { "\n", "\r\n" })
            {
                string text = string.Join(newline, input.Lines);
                AssertSameAsOneReader(Encoding.UTF8.GetBytes(text), options);
                AssertSameAsOneReader(Encoding.UTF8.GetBytes("\uFEFF" + text + newline), options);
            }
        }
    }

    [Test]
    public void ReadInHalves_BadLineAtEveryPosition_NamesTheSameLineAndColumn()
    {
        string[] good = [.. Enumerable.Range(0, 41).Select(i => i % 3 == 2 ? $"2001:db8:{i:x}::/48" : $"10.{i}.0.0/16")];
        var seen = new HashSet<int>();
        for (int bad = 0; bad < good.Length; bad++)
        {
            string[] lines = [.. good];
            lines[bad] = bad % 2 == 0 ? $"10.{bad}.0.0/33" : $"  2001:db8::{bad:x}::/64 # twice";
            byte[] text = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

            PrefixFormatException error = AssertSameAsOneReader(text, PrefixParseOptions.None)!;

            Assert.That(error.Line, Is.EqualTo(bad + 1));
            // IPv4: the length's first digit; IPv6: within the prefix, which starts at column 3.
            Assert.That(error.Column, bad % 2 == 0 ? Is.EqualTo(lines[bad].IndexOf('/', StringComparison.Ordinal) + 2) : Is.InRange(3, 24));
            seen.Add(error.Line);
        }

        // The file splits at the first line after its middle: both lines around that boundary were among the bad ones.
        byte[] all = Encoding.UTF8.GetBytes(string.Join('\n', good) + "\n");
        int boundaryLine = all.AsSpan(0, (all.Length / 2) + all.AsSpan(all.Length / 2).IndexOf((byte)'\n') + 1).Count((byte)'\n') + 1;
        Assert.That(seen, Does.Contain(boundaryLine - 1).And.Contain(boundaryLine));
        Assert.That(Halves(all, PrefixParseOptions.None), Is.Not.Null, "a file with lines after its middle is read in two halves");
    }

    [Test]
    public void ReadInHalves_LinesOnlyBeforeTheMiddle_IsReadByOneReader()
    {
        byte[] text = Encoding.UTF8.GetBytes("10.0.0.0/8 # " + new string('x', 200) + "\n");

        Assert.That(Halves(text, PrefixParseOptions.None), Is.Null);
        Assert.That(Read(text, PrefixParseOptions.None, 0).ToPrefixSet().ToString(), Is.EqualTo("10.0.0.0/8\n"));
    }

    [Test]
    public void ReadInHalves_FamiliesInDifferentHalves_MergeAcrossTheBoundary()
    {
        // Each half holds one /25 of the same /24, and IPv6 only in the second half.
        byte[] text = Encoding.UTF8.GetBytes("192.0.2.0/25\n# padding\n10.0.0.0/8\n192.0.2.128/25\n2001:db8::/32\n255.255.255.255\n");

        BulkListReader reader = Halves(text, PrefixParseOptions.None)!;

        Assert.That(reader.IPv4Read + reader.IPv6Read, Is.EqualTo(5));
        Assert.That(reader.ToPrefixSet().ToString(), Is.EqualTo("10.0.0.0/8\n192.0.2.0/24\n255.255.255.255/32\n2001:db8::/32\n"));
    }

    private PrefixFormatException? AssertSameAsOneReader(byte[] text, PrefixParseOptions options)
    {
        var one = new PrefixListReader(options);
        PrefixFormatException? expected = Catch(() => one.Feed(text, final: true));
        PrefixFormatException? actual = Catch(() =>
        {
            BulkListReader halves = Read(text, options, minimumSplitBytes: 0);
            Assert.That((halves.IPv4Read, halves.IPv6Read), Is.EqualTo((one.IPv4Read, one.IPv6Read)));
            Assert.That(halves.ToPrefixSet(), Is.EqualTo(one.ToPrefixSet()));
        });

        Assert.That(actual?.Message, Is.EqualTo(expected?.Message));
        Assert.That((actual?.Line, actual?.Column), Is.EqualTo((expected?.Line, expected?.Column)));
        return actual;
    }

    private BulkListReader Read(byte[] text, PrefixParseOptions options, long minimumSplitBytes)
    {
        using FileStream file = Write(text);
        return BulkListReader.Read(file, options, minimumSplitBytes);
    }

    private BulkListReader? Halves(byte[] text, PrefixParseOptions options)
    {
        using FileStream file = Write(text);
        return BulkListReader.TryReadHalves(file, options, minimumSplitBytes: 0);
    }

    private FileStream Write(byte[] text)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllBytes(path, text);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
    }

    private static PrefixFormatException? Catch(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (PrefixFormatException ex)
        {
            return ex;
        }
    }
}
