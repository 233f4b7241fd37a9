using System.Net;
using System.Text;
using System.Text.Json;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

[TestFixture]
public partial class PrefixSetTests
{
    private static readonly object[] EdgeCases =
    [
        new object[] { "empty input", Array.Empty<string>(), Array.Empty<string>() },
        new object[] { "0.0.0.0/0 swallows everything", new[] { "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32" }, new[] { "0.0.0.0/0" } },
        new object[] { "two halves make /0", new[] { "128.0.0.0/1", "0.0.0.0/1" }, new[] { "0.0.0.0/0" } },
        new object[] { "two IPv6 halves make ::/0", new[] { "8000::/1", "::/1" }, new[] { "::/0" } },
        new object[] { "0.0.0.0 alone", new[] { "0.0.0.0" }, new[] { "0.0.0.0/32" } },
        new object[] { "255.255.255.255 and its sibling", new[] { "255.255.255.255/32", "255.255.255.254/32" }, new[] { "255.255.255.254/31" } },
        new object[] { ":: alone", new[] { "::" }, new[] { "::/128" } },
        new object[]
        {
            "top of IPv6 and its sibling", new[] { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128" },
            new[] { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127" }
        },
        new object[] { "adjacent /32s across an octet boundary are not siblings", new[] { "10.0.1.0/32", "10.0.0.255/32" }, new[] { "10.0.0.255/32", "10.0.1.0/32" } },
        new object[] { "sibling /24s across an octet boundary merge", new[] { "10.0.1.0/24", "10.0.0.0/24" }, new[] { "10.0.0.0/23" } },
        new object[] { "adjacent /24s that are not siblings stay apart", new[] { "10.0.1.0/24", "10.0.2.0/24" }, new[] { "10.0.1.0/24", "10.0.2.0/24" } },
        new object[] { "merging repeats up the tree", new[] { "10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/25", "10.0.1.0/24" }, new[] { "10.0.0.0/23" } },
        new object[] { "duplicates", new[] { "192.0.2.0/24", "192.0.2.0/24", "192.0.2.0/24" }, new[] { "192.0.2.0/24" } },
        new object[] { "fully nested", new[] { "10.1.2.0/24", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3" }, new[] { "10.0.0.0/8" } },
        new object[] { "mixed families sort IPv4 first", new[] { "2001:db8::/32", "192.0.2.0/24" }, new[] { "192.0.2.0/24", "2001:db8::/32" } },
        new object[] { "IPv4-mapped IPv6 stays IPv6", new[] { "::ffff:192.0.2.0/120", "192.0.2.0/24" }, new[] { "192.0.2.0/24", "::ffff:192.0.2.0/120" } },
        new object[]
        {
            "a range that is not one block splits minimally", new[] { "10.0.0.1", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/29", "10.0.0.16" },
            new[] { "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/29", "10.0.0.16/32" }
        },
    ];

    [TestCaseSource(nameof(EdgeCases))]
    public void Parse_EdgeCase_CollapsesToTheMinimalList(string name, string[] input, string[] expected)
    {
        PrefixSet set = PrefixSet.Parse(string.Join('\n', input));

        Assert.That(set.Select(p => p.ToString()), Is.EqualTo(expected), name);
    }

    [Test]
    public void Parse_CommentsBlankLinesCrLfAndByteOrderMark_AreSkipped()
    {
        byte[] text = [.. "\uFEFF"u8, .. "# allow-list\r\n\r\n  10.0.0.0/24   # office\r\n\t10.0.1.0/24\r\n#10.9.9.9\n2001:db8::/32#lab"u8];

        PrefixSet set = PrefixSet.Parse(text);

        Assert.That(set.ToString(), Is.EqualTo("10.0.0.0/23\n2001:db8::/32\n"));
    }

    [TestCase("10.0.0.0/24\n10.0.0.0/33\n", 2, 10, "prefix length is out of range for IPv4 (0-32)")]
    [TestCase("# header\n\n  010.0.0.0/8\n", 3, 3, "leading zero")]
    [TestCase("10.0.0.0/8 10.1.0.0/16\n", 1, 12, "unexpected text after the prefix")]
    [TestCase("10.0.0.0/8\r\n10.0.0.x\r\n", 2, 8, "unexpected character 'x'")]
    [TestCase("::/0\n2001:DB8::/32\n", 2, 1, "write \"2001:db8::/32\": PrefixParseOptions.AnyIPv6Text reads any spelling")]
    [TestCase("10.1.2.3/8\n", 1, 1, "has host bits set (the network is 10.0.0.0/8): PrefixParseOptions.ClearHostBits clears them")]
    public void Parse_BadLine_ReportsLineColumnAndReason(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<PrefixFormatException>(() => PrefixSet.Parse(text));

        Assert.That(error.Line, Is.EqualTo(line));
        Assert.That(error.Column, Is.EqualTo(column));
        Assert.That(error.Message, Does.StartWith($"line {line}, column {column}: ").And.Contain(reason));
    }

    [Test]
    public void Contains_AddressWithAZone_IsInNoSet()
    {
        PrefixSet set = PrefixSet.Parse("fd00::/8\nfe80::/10");
        IPAddress zoned = IPAddress.Parse("fd00::1%5");

        Assert.That(zoned.ScopeId, Is.EqualTo(5));
        Assert.That(set.Contains(zoned), Is.False, "prefixes carry no zone");
        Assert.That(set.Contains(IPAddress.Parse("fe80::1%2")), Is.False);
        Assert.That(set.Contains(new IPAddress(zoned.GetAddressBytes())), Is.True, "without its zone, the address is in the set");
    }

    [Test]
    public void Parse_AnyIPv6Text_ReadsUpperCaseAndUncompressedLists()
    {
        PrefixSet set = PrefixSet.Parse("2001:DB8::/33\n2001:0db8:8000:0:0:0:0:0/33\n::FFFF:C000:0201\n", PrefixParseOptions.AnyIPv6Text);

        Assert.That(set.ToString(), Is.EqualTo("::ffff:192.0.2.1/128\n2001:db8::/32\n"));
    }

    [Test]
    public void Parse_ClearHostBits_NormalisesInsteadOfFailing()
    {
        PrefixSet set = PrefixSet.Parse("10.1.2.3/8\n2001:db8::1/32", PrefixParseOptions.ClearHostBits);

        Assert.That(set.ToString(), Is.EqualTo("10.0.0.0/8\n2001:db8::/32\n"));
    }

    [Test]
    public async Task ReadAsync_StreamInSmallChunks_ReadsLinesSplitAcrossChunks()
    {
        string text = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"10.{i / 256}.{i % 256}.0/24")) + "\n# long comment " + new string('x', 200_000);
        await using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 7);

        PrefixSet set = await PrefixSet.ReadAsync(stream);

        // 5000 /24s from 10.0.0.0: 4096 fill 10.0.0.0/12, the remaining 904 = 512 + 256 + 128 + 8.
        Assert.That(set.ToString(), Is.EqualTo("10.0.0.0/12\n10.16.0.0/15\n10.18.0.0/16\n10.19.0.0/17\n10.19.128.0/21\n"));
    }

    [Test]
    public async Task ReadAsync_IPv6ListInSmallChunks_ReadsAsTheWholeText()
    {
        // Chunks of 7 bytes end lines inside a group, inside "::" and inside the length: what the one-pass path cannot
        // finish must wait for the next chunk. Upper case and dotted tails (read the general way) are mixed in.
        string text = string.Concat(Enumerable.Range(0, 3000).Select(i => (i % 4) switch
        {
            0 => $"2001:db8:{i:x}::/48\n",
            1 => $"fe80::{i:x}:0:1\r\n",
            2 => $"2001:DB8:{i - 2:X}:8000::/49\n",
            _ => $"::ffff:10.{i / 256}.{i % 256}.0/120\n",
        }));
        await using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text), chunk: 7);

        PrefixSet set = await PrefixSet.ReadAsync(stream, PrefixParseOptions.AnyIPv6Text);

        Assert.That(set, Is.EqualTo(PrefixSet.Parse(text, PrefixParseOptions.AnyIPv6Text)));
        Assert.That(set.Count, Is.EqualTo(2250), "each upper-case /49 lies in the /48 two lines before it; nothing else meets");
    }

    [Test]
    public async Task ReadAsync_LineWithoutEnd_FailsOnceItPassesTheLineBoundNotAtTheEnd()
    {
        // A megabyte of comment is a line; past that, a stream without line ends (/dev/zero) is not a prefix list.
        byte[] head = Encoding.UTF8.GetBytes("10.0.0.0/8 # " + new string('x', 1_000_000) + "\n");
        await using var endless = new EndlessStream(head);

        var error = Assert.ThrowsAsync<PrefixFormatException>(() => PrefixSet.ReadAsync(endless))!;

        Assert.That(error.Message, Is.EqualTo("line 2: a line is longer than 1048576 bytes: this is not a prefix list"));
        Assert.That(endless.Position, Is.LessThan(4 << 20), "it stopped soon after the bound");
    }

    [Test]
    public void Parse_EverySpellingOfEveryPatternOfZeroGroups_ReadsInAListAsOnItsOwn()
    {
        // A line that ends in a newline is read in one pass when it is all hex and canonical; on its own (no newline) it
        // goes the general way. Every pattern of zero groups, spelled in full and with "::" over every run of zero
        // groups (canonical or not), must read, or fail, the same both ways, and in full with AnyIPv6Text.
        int canonical = 0;
        foreach (string other in new[] { "1", "beef" })
        {
            for (int zeros = 0; zeros < 256; zeros++)
            {
                string[] groups = Enumerable.Range(0, 8).Select(w => (zeros & (1 << w)) != 0 ? "0" : other).ToArray();
                foreach (string spelling in Spellings(groups))
                {
                    foreach (PrefixParseOptions options in new[] { PrefixParseOptions.None, PrefixParseOptions.AnyIPv6Text })
                    {
                        string alone = ReadOrReason(spelling + "/128", options);
                        Assert.That(ReadOrReason($"{spelling}/128\n", options), Is.EqualTo(alone), $"{spelling} with {options}");
                        canonical += options == PrefixParseOptions.None && !alone.StartsWith("error", StringComparison.Ordinal) ? 1 : 0;
                    }
                }
            }
        }

        Assert.That(canonical, Is.EqualTo(512), "each address has exactly one canonical all-hex spelling");
    }

    /// <summary>The groups written in full, and with "::" for each run of one or more zero groups.</summary>
    private static IEnumerable<string> Spellings(string[] groups)
    {
        yield return string.Join(':', groups);
        for (int start = 0; start < groups.Length; start++)
        {
            for (int end = start; end < groups.Length && groups[end] == "0"; end++)
            {
                yield return string.Join(':', groups[..start]) + "::" + string.Join(':', groups[(end + 1)..]);
            }
        }
    }

    private static string ReadOrReason(string text, PrefixParseOptions options)
    {
        try
        {
            return PrefixSet.Parse(text, options).ToString();
        }
        catch (PrefixFormatException ex)
        {
            return "error: " + ex.Message;
        }
    }

    [Test]
    public void Blocks_InMemory_TakeNoPadding()
    {
        // UInt128's 16-byte alignment would pad an IPv6 block (16 + 4 bytes) to 32; packed it takes 24.
        Assert.That(System.Runtime.CompilerServices.Unsafe.SizeOf<CidrBlock<UInt128>>(), Is.EqualTo(24));
        Assert.That(System.Runtime.CompilerServices.Unsafe.SizeOf<CidrBlock<uint>>(), Is.EqualTo(8));
    }

    [Test]
    public void Parse_TextAfterThePrefix_IsQuotedEscaped()
    {
        Assert.That(() => PrefixSet.Parse("10.0.0.0/8 \u001b]0;owned\u0007"), Throws.TypeOf<PrefixFormatException>()
            .With.Message.EqualTo("line 1, column 12: unexpected text after the prefix: \"\\u001B]0;owned\\u0007\" (one prefix per line)"));
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.That(() => PrefixSet.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))), Throws.TypeOf<FileNotFoundException>());
    }

    [Test]
    public void Contains_AddressesAroundEveryBlockEdge_AnswersExactly()
    {
        PrefixSet set = PrefixSet.Parse("10.0.0.0/24\n10.0.2.0/31\n2600:1f18:24e6:b900::/56");

        Assert.Multiple(() =>
        {
            Assert.That(set.Contains(IPAddress.Parse("9.255.255.255")), Is.False);
            Assert.That(set.Contains(IPAddress.Parse("10.0.0.0")), Is.True);
            Assert.That(set.Contains(IPAddress.Parse("10.0.0.255")), Is.True);
            Assert.That(set.Contains(IPAddress.Parse("10.0.1.0")), Is.False);
            Assert.That(set.Contains(IPAddress.Parse("10.0.2.1")), Is.True);
            Assert.That(set.Contains(IPAddress.Parse("10.0.2.2")), Is.False);
            Assert.That(set.Contains(IPAddress.Parse("2600:1f18:24e6:b9ff:ffff:ffff:ffff:ffff")), Is.True);
            Assert.That(set.Contains(IPAddress.Parse("2600:1f18:24e6:ba00::")), Is.False);
            Assert.That(set.Contains(IPAddress.Parse("::ffff:10.0.0.1")), Is.False, "a mapped address is IPv6, not 10.0.0.1");
            Assert.That(set.Contains(IPNetwork.Parse("10.0.0.128/25")), Is.True);
            Assert.That(set.Contains(IPNetwork.Parse("10.0.0.0/23")), Is.False);
        });
    }

    [Test]
    public void Except_Rfc1918FromTheWholeSpace_LeavesThePublicRanges()
    {
        PrefixSet all = PrefixSet.Parse("0.0.0.0/0");
        PrefixSet rfc1918 = PrefixSet.Parse("10.0.0.0/8\n172.16.0.0/12\n192.168.0.0/16");

        PrefixSet rest = all.Except(rfc1918);

        Assert.That(rest.IPv4AddressCount, Is.EqualTo((UInt128)(1UL << 32) - (1 << 24) - (1 << 20) - (1 << 16)));
        Assert.That(rest.Intersect(rfc1918).IsEmpty, Is.True);
        Assert.That(rest.Union(rfc1918), Is.EqualTo(all));
        Assert.That(rest.Count, Is.EqualTo(31), "the minimal list around the three private ranges (Python ipaddress agrees)");
    }

    // Overlaps of one address, at each end of a range and at the top of each space, written out by hand.
    [TestCase("10.0.0.0/24", "10.0.0.255/32\n10.0.1.0/24", "10.0.0.255/32\n")]
    [TestCase("10.0.0.0/25\n10.0.0.128/26", "10.0.0.191/32\n10.0.0.192/26", "10.0.0.191/32\n")]
    [TestCase("10.0.1.0/24", "10.0.0.0/24\n10.0.1.0/32", "10.0.1.0/32\n")]
    [TestCase("255.255.255.255/32", "128.0.0.0/1", "255.255.255.255/32\n")]
    [TestCase("::/0", "::/128\nffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::/128\nffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\n")]
    public void Intersect_OverlapOfOneAddress_IsThatAddress(string left, string right, string expected)
    {
        PrefixSet a = PrefixSet.Parse(left), b = PrefixSet.Parse(right);

        Assert.That((a.Intersect(b).ToString(), b.Intersect(a).ToString()), Is.EqualTo((expected, expected)));
    }

    [Test]
    public void Create_DefaultIPNetwork_IsTheWholeIPv4Space()
    {
        // Documented: default(IPNetwork) is 0.0.0.0/0 and cannot be told apart from it.
        Assert.That(PrefixSet.Create(default(IPNetwork)).ToString(), Is.EqualTo("0.0.0.0/0\n"));
    }

    [Test]
    public void WriteTo_Stream_WritesOnePrefixPerLineAsUtf8()
    {
        PrefixSet set = PrefixSet.Parse(string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"10.{i / 256}.{i % 256}.1")));
        using var stream = new MemoryStream();

        set.WriteTo(stream);

        Assert.That(Encoding.UTF8.GetString(stream.ToArray()), Is.EqualTo(set.ToString()));
    }

    [TestCase("aws", 1753, 2107)]
    [TestCase("azure", 1487, 579)]
    public void Create_RealCloudCorpus_CollapsesToThePublishedCounts(string corpus, int ipv4, int ipv6)
    {
        // Counts from data/PROVENANCE.md, computed there with an independent implementation.
        string[] prefixes = corpus == "aws" ? AwsPrefixes() : AzurePrefixes();

        PrefixSet set = PrefixSet.Parse(string.Join('\n', prefixes));

        Assert.That(set.IPv4.Count, Is.EqualTo(ipv4));
        Assert.That(set.IPv6.Count, Is.EqualTo(ipv6));
        Assert.That(prefixes.All(p => set.Contains(IPNetwork.Parse(p))), Is.True, "every listed prefix is covered");
    }

    internal static string[] AwsPrefixes()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(TestData.AwsCorpus));
        return json.RootElement.GetProperty("prefixes").EnumerateArray().Select(p => p.GetProperty("ip_prefix").GetString()!)
            .Concat(json.RootElement.GetProperty("ipv6_prefixes").EnumerateArray().Select(p => p.GetProperty("ipv6_prefix").GetString()!))
            .ToArray();
    }

    internal static string[] AzurePrefixes()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(TestData.AzureCorpus));
        return json.RootElement.GetProperty("values").EnumerateArray()
            .SelectMany(v => v.GetProperty("properties").GetProperty("addressPrefixes").EnumerateArray().Select(p => p.GetString()!))
            .ToArray();
    }

    /// <summary>Hands out a few bytes per read, like a slow pipe.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override bool CanSeek => false;
    }

    /// <summary>The given bytes, then zeros for ever, like /dev/zero after a header.</summary>
    private sealed class EndlessStream(byte[] head) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            Span<byte> span = buffer.AsSpan(offset, count);
            span.Clear();
            int fromHead = (int)Math.Clamp(head.Length - _position, 0, count);
            head.AsSpan((int)Math.Min(_position, head.Length), fromHead).CopyTo(span);
            _position += count;
            return count;
        }
    }
}
