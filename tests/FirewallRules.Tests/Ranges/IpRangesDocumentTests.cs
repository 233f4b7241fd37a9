using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.Cidr;
using FirewallRules.Ranges;

namespace FirewallRules.Tests.Ranges;

[TestFixture]
public class IpRangesDocumentTests
{
    // Per-section IPv4/IPv6 counts from data/PROVENANCE.md, checked there with a separate script.
    private static readonly object[] RealDocuments =
    [
        new object[] { 27, "agents 437/1; api 123/0; apm 2/0; global 1/0; logs 196/0; process 37/0; synthetics 34/0; webhooks 3/0" },
        new object[] { 28, "agents 437/1; api 123/0; apm 2/0; global 1/0; logs 196/0; process 37/0; synthetics 37/0; webhooks 3/0" },
        new object[] { 29, "agents 437/1; api 123/0; apm 2/0; global 1/0; logs 196/0; process 37/0; synthetics 40/0; webhooks 3/0" },
        new object[] { 30, "agents 437/1; api 123/0; apm 2/0; global 1/0; logs 196/0; process 37/0; synthetics 40/0; webhooks 6/0" },
        new object[] { 36, "agents 220/1; api 123/0; apm 2/0; global 1/1; logs 196/0; orchestrator 1/1; process 1/0; synthetics 40/0; webhooks 15/0" },
        new object[] { 38, "agents 4/1; api 3/0; apm 2/0; global 1/1; logs 196/0; orchestrator 1/1; process 1/0; synthetics 40/0; webhooks 15/0" },
        new object[] { 39, "agents 4/1; api 3/0; apm 2/0; global 1/1; logs 196/0; orchestrator 1/1; process 1/0; synthetics 40/0; webhooks 16/0" },
        new object[] { 40, "agents 4/2; api 3/1; apm 2/1; global 1/2; logs 196/2; orchestrator 1/1; process 1/1; synthetics 40/0; webhooks 16/0" },
        new object[] { 46, "agents 1/1; api 1/1; apm 1/1; global 1/1; logs 4/1; orchestrator 1/1; process 1/1; synthetics 48/0; webhooks 19/0" },
        new object[] { 47, "agents 1/1; api 1/1; apm 1/1; global 1/1; logs 1/1; orchestrator 1/1; process 1/1; synthetics 48/0; webhooks 19/0" },
        new object[] { 52, "agents 1/1; api 1/1; apm 1/1; global 1/1; logs 1/1; orchestrator 1/1; process 1/1; synthetics 57/0; synthetics-private-locations 1/1; webhooks 16/0" },
    ];

    [TestCaseSource(nameof(RealDocuments))]
    public void Load_RealDocument_ListsEverySectionAsPublished(int version, string counts)
    {
        IpRangesDocument document = IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

        string actual = string.Join("; ", document.SectionList.OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => $"{s.Name} {s.ListedIPv4.Count}/{s.ListedIPv6.Count}"));
        Assert.That(document.Version, Is.EqualTo(version));
        Assert.That(actual, Is.EqualTo(counts));
        Assert.That(document.Modified, Is.Not.Null, "every real document uses the documented modified format");
    }

    [Test]
    public void Load_RealDocuments_SyntheticsLocationsUnionIsTheFlatList()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            IpRangesSection synthetics = IpRangesDocument.Load(path)[Section.Synthetics];
            if (synthetics.PrefixesByLocation.Count == 0)
            {
                continue;
            }

            PrefixSet union = synthetics.PrefixesByLocation.Values.Aggregate(PrefixSet.Empty, (a, b) => a.Union(b));
            Assert.That(union, Is.EqualTo(synthetics.Prefixes), path);
        }
    }

    [Test]
    public void Embedded_IsTheNewestRealDocument()
    {
        IpRangesDocument embedded = IpRangesDocument.Embedded;

        Assert.That(embedded.Version, Is.EqualTo(59));
        Assert.That(embedded.Modified, Is.EqualTo(new DateTimeOffset(2024, 10, 17, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(embedded.Site, Is.EqualTo(Site.US1));
        Assert.That(embedded.Utf8Json.ToArray(), Is.EqualTo(File.ReadAllBytes(TestData.Path_("ip-ranges", "datadoghq.com-v59.json"))));
        Assert.That(embedded[Section.Logs].Prefixes.ToString(), Is.EqualTo("3.233.144.0/20\n2600:1f18:24e6:b900::/56\n"));
    }

    [Test]
    public void Embedded_PassesThePublicAddressPolicy()
    {
        // The tool loads the snapshot without the policy check to start faster; this is that check.
        byte[] snapshot = IpRangesDocument.Embedded.Utf8Json.ToArray();

        Assert.That(() => IpRangesDocument.Parse(snapshot, options: IpRangesParseOptions.Default), Throws.Nothing);
        Assert.That(IpRangesParseOptions.Default.AllowNonPublicPrefixes, Is.False);
    }

    [Test]
    public void Parse_KeyOrderAndWhitespace_DoNotMatter()
    {
        IpRangesDocument pretty = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v47.json"));
        string reordered = """{"logs":{"prefixes_ipv6":["2600:1f18:24e6:b900::/56"],"prefixes_ipv4":["3.233.144.0/20"]},"modified":"2022-01-25-20-00-00","version":47}""";

        IpRangesDocument compact = IpRangesDocument.Parse(reordered);

        Assert.That(compact[Section.Logs].Prefixes, Is.EqualTo(pretty[Section.Logs].Prefixes));
        Assert.That(compact.Modified, Is.EqualTo(pretty.Modified));
    }

    [Test]
    public void Parse_UnknownSection_IsKeptAndReachableByName()
    {
        IpRangesDocument document = IpRangesDocument.Parse("""
            {"version": 60, "modified": "2026-01-01-00-00-00",
             "logs": {"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": []},
             "llm-observability": {"prefixes_ipv4": ["3.233.160.0/24"], "prefixes_ipv6": ["2600:1f18:24e6:ba00::/56"], "note": "new"},
             "generated_by": "a future header field"}
            """);

        IpRangesSection added = document["llm-observability"];
        Assert.That(added.KnownSection, Is.Null);
        Assert.That(added.Prefixes.Count, Is.EqualTo(2));
        Assert.That(document.SectionList.Select(s => s.Name), Is.EqualTo(new[] { "logs", "llm-observability" }));
        Assert.That(document.TryGetSection("LLM_Observability", out _), Is.True, "case and _ do not matter");
    }

    [TestCase("2019-10-31-20-00-00", "2019-10-31T20:00:00Z")]
    [TestCase("2022-11-14T22:00:00Z", "2022-11-14T22:00:00Z")]
    [TestCase("2022-11-14T23:00:00+01:00", "2022-11-14T22:00:00Z")]
    public void Parse_ModifiedInAKnownFormat_IsReadAsUtc(string modified, string expected)
    {
        IpRangesDocument document = IpRangesDocument.Parse($$"""{"version": 1, "modified": "{{modified}}"}""");

        Assert.That(document.Modified, Is.EqualTo(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(document.ModifiedText, Is.EqualTo(modified));
    }

    [Test]
    public void Parse_ModifiedInAnUnknownFormat_KeepsTheTextInsteadOfFailing()
    {
        IpRangesDocument document = IpRangesDocument.Parse("""{"version": 1, "modified": "last Tuesday"}""");

        Assert.That(document.Modified, Is.Null);
        Assert.That(document.ModifiedText, Is.EqualTo("last Tuesday"));
    }

    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": ["3.233.144.0/20", "1.2.3.4/33"]}}""", "logs.prefixes_ipv4[1]: \"1.2.3.4/33\" is not a valid prefix")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": ["2600:1f18::/32"]}}""", "logs.prefixes_ipv4[0]: \"2600:1f18::/32\" is IPv6 in a list of IPv4 prefixes")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": [17]}}""", "logs.prefixes_ipv4[0]: wrong type: expected a string")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": "3.233.144.0/20"}}""", "logs.prefixes_ipv4: wrong type: expected an array of strings")]
    [TestCase("""{"version": 1, "logs": ["3.233.144.0/20"]}""", "logs: expected an object with prefixes_ipv4 and prefixes_ipv6, found an array")]
    [TestCase("""{"modified": "2022-11-14-22-00-00"}""", "version: is missing")]
    [TestCase("""{"version": -3}""", "version: must not be negative, found -3")]
    [TestCase("""{"version": "52"}""", "version: must be a whole number, found \"52\"")]
    [TestCase("""{"version": 1.5}""", "version: must be a whole number, found 1.5")]
    [TestCase("""{"version": 1, "version": 2}""", "version: duplicate key 'version'")]
    [TestCase("""{"version": 52, "logs": {"prefixes_ipv4": ["3.233.144.0/20"]""", "invalid JSON at line 1")]
    [TestCase("""[1, 2]""", "wrong type: expected an object")]
    [TestCase("""null""", "wrong type: expected an object, found null")]
    [TestCase("", "invalid JSON at line 1, byte 1")]
    [TestCase("""{"version": 1} {"version": 2}""", "invalid JSON at line 1, byte 16")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": [], "prefixes_ipv4": ["3.233.144.0/20"]}}""", "logs.prefixes_ipv4: duplicate key 'prefixes_ipv4'")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": []}, "logs": {"prefixes_ipv4": []}}""", "logs: duplicate key 'logs'")]
    [TestCase(
        """{"version": 1, "synthetics": {"prefixes_ipv4_by_location": {"aws:eu-west-1": [], "aws:eu-west-1": []}}}""",
        "synthetics.prefixes_ipv4_by_location.aws:eu-west-1: duplicate key 'aws:eu-west-1'")]
    [TestCase(
        """{"version": 1, "synthetics": {"prefixes_ipv4_by_location": ["3.120.0.0/14"]}}""",
        "synthetics.prefixes_ipv4_by_location: wrong type: expected an object mapping locations to arrays, found an array")]
    [TestCase(
        """{"version": 1, "synthetics": {"prefixes_ipv4_by_location": {"aws:eu-west-1": [null]}}}""",
        "synthetics.prefixes_ipv4_by_location[\"aws:eu-west-1\"][0]: null instead of a prefix")]
    [TestCase(
        """{"version": 1, "synthetics": {"prefixes_ipv6_by_location": {"aws:eu-west-1": "2600:1f18::/32"}}}""",
        "synthetics.prefixes_ipv6_by_location[\"aws:eu-west-1\"]: wrong type: expected an array of strings, found a string")]
    [TestCase("""{"version": 1, "apm": {"prefixes_ipv4": ["3.233.144.0/20"]}, "logs": {"prefixes_ipv4": [1.2.3]}}""", "logs: invalid JSON at line 1")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": ["10.0.0.0/8"]}}""", "logs.prefixes_ipv4[0]: 10.0.0.0/8 is not public address space")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv4": ["198.18.0.0/24"]}}""",
        "logs.prefixes_ipv4[0]: 198.18.0.0/24 is not public address space (it overlaps 198.18.0.0/15, Benchmarking)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["2001:db8:1::/48"]}}""",
        "logs.prefixes_ipv6[0]: 2001:db8:1::/48 is not public address space (it overlaps 2001:db8::/32, Documentation)")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv4": ["0.0.0.0/1"]}}""", "logs.prefixes_ipv4[0]: 0.0.0.0/1 is wider than /8")]
    [TestCase("""{"version": 1, "logs": {"prefixes_ipv6": ["fe80::/64"]}}""", "logs.prefixes_ipv6[0]: fe80::/64 is not public address space")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["64:ff9b::/96"]}}""",
        "logs.prefixes_ipv6[0]: 64:ff9b::/96 is not public address space (it overlaps 64:ff9b::/96, IPv4-IPv6 Translat.)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["64:ff9b::a9fe:a9fe/128"]}}""",
        "logs.prefixes_ipv6[0]: 64:ff9b::a9fe:a9fe/128 is not public address space (it overlaps 64:ff9b::/96, IPv4-IPv6 Translat.)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["64::/16"]}}""",
        "logs.prefixes_ipv6[0]: 64::/16 is not public address space (it overlaps ::/3, Reserved by IETF (outside the unicast space IANA allocates))")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["64:ff9b:1::/48"]}}""",
        "logs.prefixes_ipv6[0]: 64:ff9b:1::/48 is not public address space (it overlaps 64:ff9b:1::/48, IPv4-IPv6 Translat.)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["2001:0:a9fe:a9fe::/64"]}}""",
        "logs.prefixes_ipv6[0]: 2001:0:a9fe:a9fe::/64 is not public address space (it overlaps 2001::/32, TEREDO)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["2001::/16"]}}""",
        "logs.prefixes_ipv6[0]: 2001::/16 is not public address space (it overlaps 2001::/23, IETF Protocol Assignments)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["::a9fe:a9fe/128"]}}""",
        "logs.prefixes_ipv6[0]: ::169.254.169.254/128 is not public address space (it overlaps ::/3, Reserved by IETF (outside the unicast space IANA allocates))")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["2002:a9fe:a9fe::/48"]}}""",
        "logs.prefixes_ipv6[0]: 2002:a9fe:a9fe::/48 is not public address space (it overlaps 2002::/16, 6to4)")]
    [TestCase(
        """{"version": 1, "logs": {"prefixes_ipv6": ["2002::/16"]}}""",
        "logs.prefixes_ipv6[0]: 2002::/16 is not public address space (it overlaps 2002::/16, 6to4)")]
    [TestCase("""{"version": 1, "x\"; rm -rf /": {"prefixes_ipv4": []}}""", "section name \"x\"; rm -rf /\" is not allowed")]
    [TestCase(
        """{"version": 1, "synthetics": {"prefixes_ipv4": [], "prefixes_ipv4_by_location": {"aws:eu'west": ["3.120.0.0/14"]}}}""",
        "location key \"aws:eu'west\" is not allowed")]
    public void Parse_BadDocument_FailsNamingTheLocationAndReason(string json, string message)
    {
        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesDocument.Parse(json));

        Assert.That(error.Message, Does.Contain(message));
    }

    // Every block the tool's own special list holds (SpecialAddresses) and IPv6 outside 2000::/3, named as IANA names it.
    [TestCase("ipv6", "fec0::/16", "fe00::/7, Reserved by IETF")]
    [TestCase("ipv6", "fec0::/50", "fe00::/7, Reserved by IETF")]
    [TestCase("ipv6", "3fff::/20", "3fff::/20, Documentation)")]
    [TestCase("ipv6", "3fff::/50", "3fff::/20, Documentation)")]
    [TestCase("ipv6", "2001:2::/48", "2001:2::/48, Benchmarking)")]
    [TestCase("ipv6", "4000::/16", "4000::/2, Reserved by IETF")]
    [TestCase("ipv6", "e000::/16", "e000::/4, Reserved by IETF")]
    [TestCase("ipv6", "e000::/50", "e000::/4, Reserved by IETF")]
    [TestCase("ipv6", "::1:0:0:0/80", "::/3, Reserved by IETF")]
    [TestCase("ipv6", "::ffff:0:0:0/96", "::/3, Reserved by IETF")]
    [TestCase("ipv6", "5f00::/16", "5f00::/16, Segment Routing (SRv6) SIDs)")]
    [TestCase("ipv6", "2001:20::/28", "2001:20::/28, ORCHIDv2)")]
    [TestCase("ipv6", "2620:4f:8000::/48", "2620:4f:8000::/48, Direct Delegation AS112 Service)")]
    [TestCase("ipv4", "192.88.99.0/24", "192.88.99.0/24, Deprecated (6to4 Relay Anycast))")]
    [TestCase("ipv4", "192.31.196.0/24", "192.31.196.0/24, AS112-v4)")]
    [TestCase("ipv4", "168.63.129.16/32", "168.63.129.16/32, Instance metadata)")]
    public void Parse_BadDocument_PrefixTheToolsSpecialListHolds_IsRefusedNamingItsBlock(string family, string prefix, string named)
    {
        string json = $$$"""{"version": 1, "agents": {"prefixes_{{{family}}}": ["{{{prefix}}}"]}}""";

        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesDocument.Parse(json));

        Assert.That(error.Message, Does.Contain($"agents.prefixes_{family}[0]: {prefix} is not public address space (it overlaps {named}").And.Not.Contain("\n"));
    }

    [Test]
    public void Parse_BadDocument_EveryBlockOfTheToolsSpecialList_IsRefused()
    {
        // One list, one decision: whatever plan, squid and cilium call special, no document may hold.
        foreach (IPNetwork block in SpecialAddresses.All.Where(b => b.PrefixLength >= (b.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 8 : 16)))
        {
            string family = block.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "ipv4" : "ipv6";
            string json = $$$"""{"version": 1, "agents": {"prefixes_{{{family}}}": ["{{{block}}}"]}}""";

            Assert.That(() => IpRangesDocument.Parse(json), Throws.TypeOf<IpRangesFormatException>().With.Message.Contain("is not public address space"), block.ToString());
        }
    }

    [Test]
    public void Parse_NonPublicPrefixWhenAllowed_IsAccepted()
    {
        var options = new IpRangesParseOptions { AllowNonPublicPrefixes = true };

        IpRangesDocument document = IpRangesDocument.Parse("""{"version": 1, "lab": {"prefixes_ipv4": ["10.0.0.0/8"]}}""", options: options);

        Assert.That(document["lab"].Prefixes.Contains(IPAddress.Parse("10.1.2.3")), Is.True);
    }

    [Test]
    public async Task ReadAsync_BodyLargerThanTheLimit_IsRefusedWithoutReadingItAll()
    {
        var options = new IpRangesParseOptions { MaxBytes = 1024 };
        await using var huge = new MemoryStream(Encoding.UTF8.GetBytes("{\"version\": 1, \"pad\": \"" + new string('x', 100_000) + "\"}"));

        var error = Assert.ThrowsAsync<IpRangesFormatException>(() => IpRangesDocument.ReadAsync(huge, options: options));

        Assert.That(error!.Message, Does.Contain("larger than the 1024 bytes allowed"));
        Assert.That(huge.Position, Is.LessThan(100_000));
    }

    [Test]
    public void ParseSection_PerSectionDocument_ReadsPrefixesAtTheRoot()
    {
        IpRangesSection section = IpRangesSection.Parse(
            "logs", """{"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": ["2600:1f18:24e6:b900::/56"], "generated": "2022-11-14"}"""u8);

        Assert.That(section.KnownSection, Is.EqualTo(Section.Logs));
        Assert.That(section.Prefixes.ToString(), Is.EqualTo("3.233.144.0/20\n2600:1f18:24e6:b900::/56\n"));
    }

    [TestCase("""[]""", "logs: expected an object with prefixes_ipv4 and prefixes_ipv6, found an array")]
    [TestCase("""{"prefixes_ipv4": [17]}""", "logs.prefixes_ipv4[0]: wrong type: expected a string, found a number")]
    [TestCase("""{"prefixes_ipv4": ["3.233.144.0/20",]}""", "logs: invalid JSON at line 1, byte 37")]
    public void ParseSection_BadDocument_FailsNamingTheLocationAndReason(string json, string message)
    {
        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesSection.Parse("logs", Encoding.UTF8.GetBytes(json)));

        Assert.That(error.Message, Does.StartWith(message));
    }

    [Test]
    public void Indexer_MissingSection_ListsWhatTheDocumentHas()
    {
        IpRangesDocument v27 = IpRangesDocument.Load(TestData.Path_("ip-ranges", "datadoghq.com-v27.json"));

        Assert.That(() => v27[Section.Orchestrator], Throws.TypeOf<KeyNotFoundException>()
            .With.Message.EqualTo("ip-ranges version 27 has no section 'orchestrator'; it has agents, api, apm, global, logs, process, synthetics, webhooks"));
    }
}
