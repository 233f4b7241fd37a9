using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// SIGTERM and SIGINT sent to the real <c>fwrules</c> of every verb but <c>sync</c> and <c>serve</c> (which have their own
/// tests) while it waits: on a real Kestrel on loopback that takes the request and never answers, on a FIFO nobody reads, on
/// standard input that never ends. Each stops with one line on stderr and the shell's status for the signal (143, 130),
/// leaves no output file and no temporary file; before, a fetch ended in a stack trace (exit 134) and a write to a FIFO
/// ignored SIGTERM for ever.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("RealTools")]
public sealed class StopSignalTests
{
    private const int Term = 15, Interrupt = 2;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    [TestCase(Term, 143, "SIGTERM")]
    [TestCase(Interrupt, 130, "SIGINT")]
    public async Task GenerateLive_StoppedWhileTheServerNeverAnswers_OneLineTheSignalsStatusAndNoFile(int signal, int status, string name)
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Always(IpRangesServer.Hang(arrived));
        string output = Path.Combine(_files.DirectoryPath, "rules.nft");
        await using var run = RunningFwrules.Start(null, holdStdin: false,
            "generate", "-f", "nftables", "--section", "logs", "--live", "--base-url", server.BaseUri.AbsoluteUri, "-o", output);
        await arrived.Task.WaitAsync(Bound);

        run.Signal(signal);
        ProcessResult result = await run.EndedAsync(Bound);

        Assert.That(result.ExitCode, Is.EqualTo(status), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: generate: stopped by {name}\n"));
        Assert.That(Directory.GetFileSystemEntries(_files.DirectoryPath), Is.Empty, "no output file, no temporary file");
    }

    [TestCase("fetch")]
    [TestCase("verify")]
    public async Task OtherVerbsThatFetch_StoppedWhileTheServerNeverAnswers_OneLineAnd143(string verb)
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Always(IpRangesServer.Hang(arrived));
        string[] cache = verb == "fetch" ? ["--cache", _files.DirectoryPath] : [];
        await using var run = RunningFwrules.Start(null, holdStdin: false, [verb, "--base-url", server.BaseUri.AbsoluteUri, .. cache]);
        await arrived.Task.WaitAsync(Bound);

        run.Signal(Term);
        ProcessResult result = await run.EndedAsync(Bound);

        Assert.That(result.ExitCode, Is.EqualTo(143), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {verb}: stopped by SIGTERM\n"));
        Assert.That(Directory.GetFileSystemEntries(_files.DirectoryPath, "*", SearchOption.AllDirectories).Where(File.Exists), Is.Empty, "nothing cached");
    }

    [Test]
    public async Task Generate_ToAFifoNobodyReads_StopsOnSigterm()
    {
        LinuxTools.Require("mkfifo");
        string fifo = Path.Combine(_files.DirectoryPath, "rules.fifo");
        LinuxTools.Run("mkfifo", [fifo]).Succeeded();
        await using var run = RunningFwrules.StartFrameworkDependent(null, holdStdin: false, "generate", "-f", "nftables", "-i", FetchTesting.Document(47), "-o", fifo);
        // The parser loads after the program's first line, which installs the handlers.
        await run.LoadedAsync("System.CommandLine.dll");

        run.Signal(Term);
        ProcessResult result = await run.EndedAsync(Bound);

        Assert.That(result.ExitCode, Is.EqualTo(143), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: generate: stopped by SIGTERM\n"));
        Assert.That(Directory.GetFileSystemEntries(_files.DirectoryPath), Is.EqualTo(new[] { fifo }), "the FIFO is left a FIFO, and no temporary file beside it");
    }

    [Test]
    public async Task Aggregate_ReadingStandardInputThatNeverEnds_StopsOnSigint()
    {
        await using var run = RunningFwrules.StartFrameworkDependent(null, holdStdin: true, "aggregate", "-o", Path.Combine(_files.DirectoryPath, "list.txt"));
        // A plain aggregate skips the parser: it reads its input as soon as the runtime has started it.
        await run.LoadedAsync("FirewallRules.dll");
        await Task.Delay(500);

        run.Signal(Interrupt);
        ProcessResult result = await run.EndedAsync(Bound);

        Assert.That(result.ExitCode, Is.EqualTo(130), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: aggregate: stopped by SIGINT\n"));
        Assert.That(Directory.GetFileSystemEntries(_files.DirectoryPath), Is.Empty);
    }

    [Test]
    public async Task Aggregate_InputEndsRightAfterTheStop_WritesNoOutputFile()
    {
        // The run goes on (its read takes no cancellation) and finishes its list well within the forced end: the list must
        // not take the output's place, since the run was stopped.
        string output = Path.Combine(_files.DirectoryPath, "list.txt");
        await using var run = RunningFwrules.StartFrameworkDependent(null, holdStdin: true, "aggregate", "-o", output);
        await run.LoadedAsync("FirewallRules.dll");
        await Task.Delay(500);

        run.Signal(Term);
        await run.EndInputAsync("10.0.0.0/8\n10.1.0.0/16\n");
        ProcessResult result = await run.EndedAsync(Bound);

        Assert.That(result.ExitCode, Is.EqualTo(143), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: aggregate: stopped by SIGTERM\n"));
        Assert.That(Directory.GetFileSystemEntries(_files.DirectoryPath), Is.Empty, "no list, no temporary file");
    }
}
