using System.Text;
using FirewallRules.Ranges;

namespace FirewallRules.Tests.Ranges;

/// <summary>
/// What reading and comparing the largest documents allocates. Allocated bytes on the test's
/// thread are counted by the runtime, not timed, so these bounds hold on a loaded machine as on an idle one.
/// </summary>
[TestFixture]
public class DocumentMemoryTests
{
    // 420,000 /32s, every other address of 3.0.0.0/8: about 7.3 MB, under the 8 MiB a document may have.
    private const int Prefixes = 420_000;

    [Test]
    public void Parse_LargeDocument_AllocatesUnderFourTimesItsSize()
    {
        byte[] json = Document(Prefixes, first: 0);
        _ = IpRangesDocument.Parse(Document(10, first: 0)); // the statics and the policy's sets, once

        long before = GC.GetAllocatedBytesForCurrentThread();
        IpRangesDocument document = IpRangesDocument.Parse(json);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(document["logs"].ListedIPv4, Has.Count.EqualTo(Prefixes));
        Assert.That(document["logs"].ListedIPv4[Prefixes - 1].ToString(), Is.EqualTo(Address(2 * (Prefixes - 1)) + "/32"));
        Assert.That(document["logs"].Prefixes.Count, Is.EqualTo(Prefixes), "no two of them are adjacent");

        // A string, an IPAddress, a located name and the policy check's sets per prefix took many times more.
        Assert.That(allocated, Is.LessThan(4L * json.Length), $"{allocated:N0} bytes allocated to read {json.Length:N0}");
    }

    [Test]
    public void DiffTo_LargeDisjointDocuments_ListsEveryPrefixAndAllocatesUnderSixTimesTheirSize()
    {
        IpRangesDocument older = IpRangesDocument.Parse(Document(Prefixes, first: 0));
        IpRangesDocument newer = IpRangesDocument.Parse(Document(Prefixes, first: 1));
        long inputs = older.Utf8Json.Length + newer.Utf8Json.Length;
        _ = IpRangesDocument.Parse(Document(10, first: 0)).DiffTo(IpRangesDocument.Parse(Document(10, first: 1)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        IpRangesDiff diff = older.DiffTo(newer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        PrefixChange change = diff.Sections.Single().IPv4;
        Assert.That(change.ListedAdded, Has.Count.EqualTo(Prefixes));
        Assert.That(change.ListedRemoved, Has.Count.EqualTo(Prefixes));
        Assert.That(change.ListedAdded[0].ToString(), Is.EqualTo("3.0.0.1/32"));
        Assert.That(change.Added.Count + change.Removed.Count, Is.EqualTo(2 * Prefixes));

        // Measured: 70.5 MB for 14.6 MB (4.8 times), most of it sorted copies of the lists and the set differences.
        Assert.That(allocated, Is.LessThan(6 * inputs), $"{allocated:N0} bytes allocated to compare {inputs:N0}");
    }

    [Test]
    public void WriteText_LargeDiff_WritesWhatToTextReturns()
    {
        IpRangesDiff diff = IpRangesDocument.Parse(Document(5_000, first: 0)).DiffTo(IpRangesDocument.Parse(Document(5_000, first: 1)));
        using var text = new StringWriter();
        using var json = new MemoryStream();

        IpRangesDiffFormatter.WriteText(diff, text);
        IpRangesDiffFormatter.WriteJson(diff, json);

        Assert.That(text.ToString(), Is.EqualTo(diff.ToText()));
        Assert.That(Encoding.UTF8.GetString(json.ToArray()), Is.EqualTo(diff.ToJson()));
        Assert.That(json.Length, Is.GreaterThan(4 * 5_000 * 12), "every prefix, four times (added, removed, listed added, listed removed)");
    }

    private static byte[] Document(int prefixes, int first)
    {
        var json = new StringBuilder($"{{\"version\": {60 + first}, \"modified\": \"2026-11-23-00-00-00\", \"logs\": {{\"prefixes_ipv4\": [\n");
        for (int i = 0; i < prefixes; i++)
        {
            json.Append(i == 0 ? "\"" : ",\n\"").Append(Address(first + (2 * i))).Append("/32\"");
        }

        return Encoding.UTF8.GetBytes(json.Append("], \"prefixes_ipv6\": []}}\n").ToString());
    }

    private static string Address(int index) => $"3.{index / 65536 % 256}.{index / 256 % 256}.{index % 256}";
}
