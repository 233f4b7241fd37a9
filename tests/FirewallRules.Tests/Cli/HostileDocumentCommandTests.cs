using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Documents that are not text (a byte that is not UTF-8, an escape that is half of a surrogate pair) through
/// every verb that reads one, in the real process: exit 1 with the place named, never a crash with a stack trace. So too
/// an endless input and a directory named as the file.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class HostileDocumentCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fwrules-hostile-");

    public static IEnumerable<TestCaseData> BadDocuments()
    {
        // A key with the byte 0xFF, as the fuzzer found it; and a stamp that is half of a surrogate pair.
        byte[] badByte = [.. "{\"version\": 53,\n \"lo"u8, 0xFF, .. "gs\": {\"prefixes_ipv4\": [\"3.233.144.0/20\"]}}"u8];
        byte[] loneSurrogate = "{\"version\": 53, \"modified\": \"\\ud800\", \"logs\": {\"prefixes_ipv4\": [\"3.233.144.0/20\"]}}"u8.ToArray();
        foreach (string verb in new[] { "generate", "sections", "diff-old", "diff-new", "fetch" })
        {
            yield return new TestCaseData(verb, badByte, "invalid UTF-8 at line 2, byte 5").SetArgDisplayNames(verb, "0xFF in a key");
            yield return new TestCaseData(verb, loneSurrogate, "modified: invalid text").SetArgDisplayNames(verb, "lone surrogate");
        }
    }

    public void Dispose() => _directory.Delete(recursive: true);

    [TestCase("generate", "--input", "DIR", "--format", "nftables")]
    [TestCase("sections", "--input", "DIR")]
    [TestCase("diff", "DIR", "DIR")]
    [TestCase("aggregate", "DIR")]
    public async Task Verb_DirectoryNamedAsTheFile_SaysItIsADirectory(params string[] args)
    {
        // The runtime reports opening a directory as "Access to the path is denied".
        ProcessResult result = await FwrulesProcess.RunAsync(null, [.. args.Select(a => a == "DIR" ? _directory.FullName : a)]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: cannot read {_directory.FullName}: it is a directory; name a file\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [TestCase("generate", "--input", "/dev/zero", "--format", "nftables")]
    [TestCase("sections", "--input", "/dev/zero")]
    [TestCase("diff", "/dev/zero", "/dev/zero")]
    [TestCase("aggregate", "/dev/zero")]
    [TestCase("aggregate", "/dev/zero", "--max", "10")]
    public async Task Verb_EndlessInput_ExitsOneAfterABoundedRead(params string[] args)
    {
        // /dev/zero never ends and has no line ends; its length, as a file, is 0.
        ProcessResult result = await FwrulesProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(
            result.Error,
            Does.StartWith("fwrules: ").And.Contain(args[0] == "aggregate" ? "a line is longer than 1048576 bytes" : "larger than the 8388608 bytes allowed"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line, no stack trace");
    }

    [TestCaseSource(nameof(BadDocuments))]
    public async Task Verb_DocumentThatIsNotText_ExitsOneNamingThePlace(string verb, byte[] document, string place)
    {
        string bad = Path.Combine(_directory.FullName, "bad.json");
        File.WriteAllBytes(bad, document);
        string good = FetchTesting.Document(52);
        await using IpRangesServer server = await IpRangesServer.StartAsync(good);
        server.Enqueue(IpRangesServer.Body(document));
        string cache = Path.Combine(_directory.FullName, "cache");

        ProcessResult result = await FwrulesProcess.RunAsync(null, verb switch
        {
            "generate" => ["generate", "--input", bad, "--format", "nftables"],
            "sections" => ["sections", "--input", bad],
            "diff-old" => ["diff", bad, good],
            "diff-new" => ["diff", good, bad],
            _ => ["fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache, "--retries", "0"],
        });

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith("fwrules: ").And.Contain(place).And.EndWith("\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line, no stack trace");
        Assert.That(Directory.Exists(cache) ? Directory.GetFiles(cache, "*", SearchOption.AllDirectories) : [], Is.Empty, "nothing cached");
    }
}
