namespace FirewallRules.Tests.Cli;

[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class AggregateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-aggregate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Aggregate_FileWithCommentsAndNesting_PrintsCollapsedListAndSummary()
    {
        string file = Write("list.txt", "# office\n10.0.0.0/24\n10.0.1.0/24  # lab\n\n10.0.0.7\n2001:db8::/33\n2001:db8:8000::/33\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "aggregate", file);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("10.0.0.0/23\n2001:db8::/32\n"));
        Assert.That(result.Error, Is.EqualTo(
            "aggregate: 5 prefixes in, 2 out (1 IPv4, 1 IPv6); covering 512 IPv4 and 79228162514264337593543950336 IPv6 addresses\n"));
    }

    [Test]
    public async Task Aggregate_DashReadsStandardInput()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync("192.0.2.128/25\n192.0.2.0/25\n", "aggregate", "-", "--quiet");

        Assert.That(result.Output, Is.EqualTo("192.0.2.0/24\n"));
        Assert.That(result.Error, Is.Empty, "--quiet prints no summary");
    }

    [Test]
    public async Task Aggregate_Max_SummarizesAndReportsTheExtraAddresses()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync("10.0.0.0/24\n10.0.1.0/24\n10.0.3.0/24\n", "aggregate", "--max", "1");

        Assert.That(result.Output, Is.EqualTo("10.0.0.0/22\n"));
        Assert.That(result.Error, Does.EndWith("; --max added 256 IPv4 and 0 IPv6 addresses\n"));
    }

    [Test]
    public async Task Aggregate_MaxBelowTheFamiliesPresent_ExitsTwoAndWritesNothing()
    {
        ProcessResult result = await FwrulesProcess.RunAsync("10.0.0.0/8\n2001:db8::/32\n", "aggregate", "-", "--max", "1");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("need at least one prefix each"));
    }

    [Test]
    public async Task Aggregate_Normalize_ReadsAnyIPv6SpellingAndWritesItCanonically()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            "2001:DB8::/33\n2001:0db8:8000:0:0:0:0:0/33\nFD00:0:0:0:0:0:0:1\n10.1.2.3/24\n", "aggregate", "-", "--normalize", "-q");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo("10.1.2.0/24\n2001:db8::/32\nfd00::1/128\n"));
    }

    [Test]
    public async Task Aggregate_NormalizeWithAnOctalLookingOctet_StillExitsOne()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync("0177.0.0.1\n", "aggregate", "-", "--normalize");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("leading zero"));
    }

    [Test]
    public async Task Aggregate_BadLine_ExitsOneNamingTheLineAndWritesNothing()
    {
        ProcessResult result = await FwrulesProcess.RunAsync("10.0.0.0/24\n\n10.0.0.0/33\n10.0.2.0/24\n", "aggregate");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Is.EqualTo(
            "fwrules: <stdin>: line 3, column 10: \"10.0.0.0/33\" is not a valid prefix: the prefix length is out of range for IPv4 (0-32)\n"));
    }

    [Test]
    public async Task Aggregate_BadInputWithOutputFile_LeavesTheOldFileUntouched()
    {
        string output = Write("allow.txt", "10.9.9.0/24\n");

        ProcessResult result = await FwrulesInProcess.RunAsync("10.0.0.0/24\n999.0.0.0/8\n", "aggregate", "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(File.ReadAllText(output), Is.EqualTo("10.9.9.0/24\n"));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public async Task Aggregate_OutputFile_IsReplacedWithTheResult()
    {
        string output = Write("allow.txt", "old\n");

        ProcessResult result = await FwrulesInProcess.RunAsync("10.0.0.0/24\n10.0.1.0/24\n", "aggregate", "--output", output);

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Output, Is.Empty);
        Assert.That(File.ReadAllText(output), Is.EqualTo("10.0.0.0/23\n"));
    }

    [TestCase("")]
    [TestCase("# the list failed to download\n\n")]
    public async Task Aggregate_NoPrefixWithOutputFile_ExitsOneAndKeepsTheOldFile(string input)
    {
        // The --help example with curl failing: curl -s URL | fwrules aggregate - --max 60 -o allow.txt
        string output = Write("allow.txt", "10.9.9.0/24\n");

        ProcessResult result = await FwrulesProcess.RunAsync(input, "aggregate", "-", "--max", "60", "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(
            result.Error,
            Is.EqualTo("fwrules: <stdin>: no prefix in the input, so nothing was written (an empty list is usually a failed download; --allow-empty writes it)\n"));
        Assert.That(File.ReadAllText(output), Is.EqualTo("10.9.9.0/24\n"));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public async Task Aggregate_NoPrefixToStandardOutput_ExitsOneWritingNothing()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "aggregate", Write("empty.txt", string.Empty));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(
            result.Error,
            Does.EndWith("empty.txt: no prefix in the input, so nothing was written (an empty list is usually a failed download; --allow-empty writes it)\n"));
    }

    [Test]
    public async Task Aggregate_NoPrefixWithAllowEmpty_WritesAnEmptyList()
    {
        string output = Write("allow.txt", "10.9.9.0/24\n");

        ProcessResult result = await FwrulesInProcess.RunAsync("# nothing today\n", "aggregate", "--allow-empty", "-o", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(File.ReadAllText(output), Is.Empty);
        Assert.That(result.Error, Does.StartWith("aggregate: 0 prefixes in, 0 out"));
    }

    [TestCase("aggregate", "--max", "0")]
    [TestCase("aggregate", "--bogus")]
    [TestCase("aggregate", "a.txt", "b.txt")]
    [TestCase("no-such-verb")]
    public async Task UsageError_ExitsTwo(params string[] args)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(string.Empty, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.EndWith(args[0] == "aggregate" ? " See 'fwrules aggregate --help'.\n" : " See 'fwrules --help'.\n"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain('\n'), "a usage error is one line");
    }

    [Test]
    public async Task Aggregate_MissingFile_ExitsOne()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "aggregate", Path.Combine(_directory, "missing.txt"));

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("fwrules: cannot read ").And.Contain("missing.txt"));
    }

    // IN, BAD, EMPTY, MISSING and OUT stand for files in the test's directory.
    [TestCase("aggregate", "IN")]
    [TestCase("aggregate", "IN", "-q")]
    [TestCase("aggregate", "-q", "IN")]
    [TestCase("aggregate", "--normalize", "IN")]
    [TestCase("aggregate", "-", "--quiet")]
    [TestCase("aggregate")]
    [TestCase("aggregate", "IN", "--max", "2")]
    [TestCase("aggregate", "--max", "3", "IN", "-o", "OUT")]
    [TestCase("aggregate", "IN", "--output", "OUT", "--normalize")]
    [TestCase("aggregate", "--allow-empty", "EMPTY", "-o", "OUT")]
    [TestCase("aggregate", "EMPTY", "-o", "OUT")]
    [TestCase("aggregate", "BAD")]
    [TestCase("aggregate", "BAD", "--normalize")]
    [TestCase("aggregate", "MISSING")]
    public async Task TryRunPlain_PlainArguments_BehavesExactlyLikeTheFullParser(params string[] template)
    {
        string[] args = Arguments(template);
        const string stdin = "192.0.2.128/25\n192.0.2.0/25\n";

        ProcessResult? plain = FwrulesInProcess.TryRunPlain(stdin, args);
        string? plainFile = TakeOutput();
        ProcessResult full = await FwrulesInProcess.RunAsync(stdin, args);

        Assert.That(plain, Is.Not.Null, "a plain aggregate run takes the shortcut");
        Assert.That(plain, Is.EqualTo(full));
        Assert.That(plainFile, Is.EqualTo(TakeOutput()));
    }

    [TestCase("aggregate", "--max", "0")]
    [TestCase("aggregate", "--max", "x")]
    [TestCase("aggregate", "--max", "99999999999")]
    [TestCase("aggregate", "--max=2", "IN")]
    [TestCase("aggregate", "--max:2", "IN")]
    [TestCase("aggregate", "--max")]
    [TestCase("aggregate", "-o")]
    [TestCase("aggregate", "-o", "-", "IN")]
    [TestCase("aggregate", "-qo", "OUT")]
    [TestCase("aggregate", "-q", "-q", "IN")]
    [TestCase("aggregate", "IN", "IN")]
    [TestCase("aggregate", "--normalize", "true", "IN")]
    [TestCase("aggregate", "--bogus")]
    [TestCase("aggregate", "-h")]
    [TestCase("aggregate", "--help")]
    [TestCase("aggregate", "/?")]
    [TestCase("aggregate", "/h")]
    [TestCase("aggregate", "@args.rsp")]
    [TestCase("aggregate", "--", "IN")]
    [TestCase("aggregate", "")]
    [TestCase("-q", "aggregate", "IN")]
    [TestCase("--help")]
    public void TryRunPlain_AnythingElse_IsLeftToTheFullParser(params string[] template)
    {
        Assert.That(FwrulesInProcess.TryRunPlain(null, Arguments(template)), Is.Null);
    }

    private string[] Arguments(string[] template)
    {
        Write("in.txt", "10.0.0.0/24\n10.0.1.0/24\n10.0.3.0/24\n2001:db8::/48\n");
        Write("bad.txt", "10.0.0.0/24\n10.0.0.1/24\n");
        Write("empty.txt", "# none\n");
        return template.Select(arg => arg switch
        {
            "IN" => Path.Combine(_directory, "in.txt"),
            "BAD" => Path.Combine(_directory, "bad.txt"),
            "EMPTY" => Path.Combine(_directory, "empty.txt"),
            "MISSING" => Path.Combine(_directory, "missing.txt"),
            "OUT" => Path.Combine(_directory, "out.txt"),
            _ => arg,
        }).ToArray();
    }

    /// <summary>The output file's content, removed so the next run starts without one; null when there is none.</summary>
    private string? TakeOutput()
    {
        string path = Path.Combine(_directory, "out.txt");
        if (!File.Exists(path))
        {
            return null;
        }

        string content = File.ReadAllText(path);
        File.Delete(path);
        return content;
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
