using System.Globalization;
using System.Text.Json.Nodes;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Feed and input text that could act on a terminal or a log (ESC and OSC sequences, BEL, C1's NEL, DEL, the line
/// separator, a bidi override) through every place a verb prints: <c>sections</c>, <c>diff</c>, <c>generate</c>'s
/// summary, <c>fetch</c>'s report and diff, and the error lines. Nothing reaches stdout or stderr raw, every error is
/// one line, and what is quoted shows as <c>\uXXXX</c> (TerminalText) rather than disappearing.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class TerminalInjectionTests : IDisposable
{
    /// <summary>Sets the terminal's title, clears the screen, breaks the line three ways and reverses what follows.</summary>
    private const string Payload = "\u001b]0;pwned\u0007\u001b[2J\u0085\u2028\u007f\u202egnp.txt";

    /// <summary><see cref="Payload"/> as a message quotes it.</summary>
    private const string Shown = "\\u001B]0;pwned\\u0007\\u001B[2J\\u0085\\u2028\\u007F\\u202Egnp.txt";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fwrules-terminal-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Test]
    public async Task Sections_InputNameWithControls_PrintsTheNameEscaped()
    {
        string input = Path.Combine(_directory.FullName, Payload);
        File.Copy(FetchTesting.Document(52), input);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sections", "--input", input);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.StartWith($"ip-ranges version 52 (2022-11-14T22:00:00Z) from {_directory.FullName}/{Shown}\n"));
        AssertInert(result);
    }

    [TestCase("sections", "--input", "MISSING")]
    [TestCase("generate", "--format", "nftables", "--input", "MISSING")]
    [TestCase("diff", "MISSING", "DOC")]
    public async Task Verb_MissingInputWithControls_ErrorIsOneEscapedLine(params string[] template)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, Arguments(template));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith($"fwrules: cannot read {_directory.FullName}/{Shown}: "));
        AssertOneErrorLine(result);
    }

    [TestCase("text")]
    [TestCase("json")]
    public async Task Diff_DocumentsWithHostileModified_PrintsNothingActive(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "diff", HostileDocument(46), HostileDocument(47), "--format", format);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("version 46 -> version 47").Or.Contain("\"version\": 47"), "the diff is printed");
        AssertInert(result);
    }

    [Test]
    public async Task Generate_HostileModifiedDocument_SummaryIsInert()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "--format", "nftables", "--input", HostileDocument(52), "--section", "logs");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.StartWith("generate: nftables for logs from ip-ranges version 52 (no date); "), "a stamp in no known form is not shown");
        AssertInert(result);
    }

    [TestCase(1, "generate", "--format", "nftables", "--section", "PAYLOAD", "--port", "443")]
    [TestCase(2, "generate", "--format", "nftables", "--section", "PAYLOAD")]
    [TestCase(2, "generate", "--format", "PAYLOAD")]
    [TestCase(2, "aggregate", "--PAYLOAD")]
    [TestCase(2, "fetch", "--site", "PAYLOAD")]
    [TestCase(2, "generate", "--format", "nftables", "--port", "PAYLOAD")]
    public async Task Verb_ArgumentWithControls_ErrorIsOneEscapedLine(int exitCode, params string[] template)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, Arguments(template));

        Assert.That(result.ExitCode, Is.EqualTo(exitCode));
        Assert.That(result.Error, Does.Contain(Shown));
        AssertOneErrorLine(result);
    }

    [Test]
    public async Task Fetch_HostileModifiedIntoCacheNamedWithControls_PrintsNothingActive()
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(46));
        string cache = Path.Combine(_directory.FullName, Payload);
        ProcessResult first = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache, "--retries", "0");
        server.Serve(File.ReadAllBytes(HostileDocument(47)));

        ProcessResult second = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache, "--retries", "0");

        Assert.That(first.ExitCode, Is.EqualTo(0), first.Error);
        Assert.That(second.ExitCode, Is.EqualTo(0), second.Error);
        Assert.That(second.Output, Does.StartWith($"fetched ip-ranges version 47 (no date) from {server.BaseUri.AbsoluteUri}\nsaved to {_directory.FullName}/{Shown}/"));
        Assert.That(second.Output, Does.Contain("ip-ranges version 46 (2021-12-07T10:00:00Z) -> version 47"), "the diff follows");
        AssertInert(first);
        AssertInert(second);
    }

    [Test]
    public async Task Fetch_ServerUnreachableWithCacheNamedWithControls_ErrorIsOneEscapedLine()
    {
        string cache = Path.Combine("/proc", Payload);
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(46));

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache, "--retries", "0");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain($"/proc/{Shown}"));
        AssertOneErrorLine(result);
    }

    private static void AssertInert(ProcessResult result)
    {
        // Outputs indent with tabs (nftables); messages do not.
        Assert.That(result.Output.Where(c => c is not ('\n' or '\t') && IsActive(c)).Select(c => $"U+{(int)c:X4}"), Is.Empty, "stdout: only characters that show");
        Assert.That(result.Error.Where(c => c != '\n' && IsActive(c)).Select(c => $"U+{(int)c:X4}"), Is.Empty, "stderr: only characters that show");
        Assert.That(result.Output + result.Error, Does.Not.Contain("pwned").Or.Contain("\\u001B]0;pwned"), "quoted text is escaped, not passed through");
    }

    private static void AssertOneErrorLine(ProcessResult result)
    {
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), result.Error);
        AssertInert(result);
    }

    private static bool IsActive(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    // A real document whose modified text is the payload.
    private string HostileDocument(int version)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(FetchTesting.Document(version)))!;
        document["modified"] = Payload;
        string path = Path.Combine(_directory.FullName, $"hostile-v{version}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    private string[] Arguments(string[] template) => [.. template.Select(arg => arg switch
    {
        "MISSING" => Path.Combine(_directory.FullName, Payload),
        "DOC" => FetchTesting.Document(52),
        "PAYLOAD" => Payload,
        "--PAYLOAD" => "--" + Payload,
        _ => arg,
    })];
}
