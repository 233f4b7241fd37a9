using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Every option and argument of every verb that names a file or a directory, given what an unset variable gives
/// (<c>--cache "$DIR"</c>: an empty word, or blanks), and the directories given something that is no directory (a FIFO, a
/// regular file, <c>/dev/zero</c>). An empty or blank name is a usage error naming the option (exit 2); a directory that is
/// something else is one line naming it (exit 1). Never a stack trace, as the empty <c>--cache</c> gave (exit 134).
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class HostilePathOptionsTests
{
    private static string Document => TestData.Path_("ip-ranges", "datadoghq.com-v52.json");

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    // VALUE stands for the word under test; DOC for a saved document.
    [TestCase("generate -f nftables --input VALUE", "--input needs a file name")]
    [TestCase("generate -f nftables -i DOC --update-from VALUE", "--update-from needs a file name")]
    [TestCase("generate -f nftables --agent-config VALUE", "--agent-config needs a file name")]
    [TestCase("generate -f nftables --agent-env VALUE", "--agent-env needs a file name")]
    [TestCase("generate -f kubernetes --helm-values VALUE", "--helm-values needs a file name")]
    [TestCase("generate -f nftables -i DOC --output VALUE", "--output needs a file name ('-' for standard output)")]
    [TestCase("privatelink -f aws-sg --site us1 -n 10.0.0.0/8 -e 10.1.0.0/24 --output VALUE", "--output needs a file name ('-' for standard output)")]
    [TestCase("aggregate VALUE", "FILE needs a file name ('-' for standard input)")]
    [TestCase("aggregate --output VALUE", "--output needs a file name ('-' for standard output)")]
    [TestCase("fetch --cache VALUE", "--cache needs a directory name")]
    [TestCase("sync -f nftables --cache VALUE", "--cache needs a directory name")]
    [TestCase("sync -f nftables --state VALUE", "--state needs a directory name")]
    [TestCase("sync -f nftables --agent-config VALUE", "--agent-config needs a file name")]
    [TestCase("verify --input VALUE", "--input needs a file name")]
    [TestCase("verify --helm-values VALUE", "--helm-values needs a file name")]
    [TestCase("serve --cache VALUE", "--cache needs a directory name")]
    [TestCase("serve --config VALUE", "--config needs a file name")]
    [TestCase("diff VALUE DOC", "OLD needs a file name")]
    [TestCase("diff DOC VALUE", "NEW needs a file name")]
    [TestCase("sections --input VALUE", "--input needs a file name")]
    [TestCase("plan --agent-config VALUE", "--agent-config needs a file name")]
    [TestCase("plan --agent-env VALUE", "--agent-env needs a file name")]
    [TestCase("plan --helm-values VALUE", "--helm-values needs a file name")]
    [TestCase("plan --agent-config DOC --input VALUE", "--input needs a file name")]
    [TestCase("plan --agent-config DOC --output VALUE", "--output needs a file name ('-' for standard output)")]
    public async Task EmptyOrBlankName_IsAUsageErrorNamingTheOption(string command, string message)
    {
        foreach (string value in new[] { string.Empty, " ", "\t " })
        {
            string[] args = [.. command.Split(' ').Select(word => word switch { "VALUE" => value, "DOC" => Document, _ => word })];

            // As Program runs them: a plain aggregate takes the short path, anything else the parser.
            ProcessResult result = FwrulesInProcess.TryRunPlain("10.0.0.0/8\n", args) ?? await FwrulesInProcess.RunAsync("10.0.0.0/8\n", args);

            Assert.That(result.ExitCode, Is.EqualTo(2), $"'{value}': {result.Error}");
            Assert.That(result.Error, Does.StartWith($"fwrules: {message}"), $"'{value}'");
            Assert.That(result.Error.Split('\n')[0], Does.EndWith("."));
            Assert.That(result.Output, Is.Empty);
        }
    }

    [Test]
    public async Task EmptyCache_InTheRealProcess_IsOneLineNotAStackTrace()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "fetch", "--cache", string.Empty);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: --cache needs a directory name. See 'fwrules fetch --help'.\n"));
    }

    [TestCase("fetch", "--cache", "fifo")]
    [TestCase("fetch", "--cache", "file")]
    [TestCase("fetch", "--cache", "/dev/zero")]
    [TestCase("fetch", "--cache", "file/below")]
    [TestCase("sync", "--cache", "fifo")]
    [TestCase("sync", "--state", "fifo")]
    [TestCase("sync", "--state", "/dev/zero")]
    [TestCase("sync", "--state", "file")]
    public async Task DirectoryThatIsSomethingElse_IsOneLineNamingItBeforeAnyRequest(string verb, string option, string what)
    {
        LinuxTools.Require("mkfifo");
        string path = Special(what);
        // Nothing listens on the discard port: a run that went on to fetch would fail with 3, not name the directory.
        string other = option == "--cache" ? "--state" : "--cache";
        string[] args = verb == "sync"
            ? ["sync", "-f", "nftables", "--dry-run", "--base-url", "http://127.0.0.1:9/", "--retries", "0", other, _files.DirectoryPath, option, path]
            : ["fetch", "--base-url", "http://127.0.0.1:9/", "--retries", "0", option, path];

        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        string kind = what switch { "fifo" => "a FIFO", "/dev/zero" => "a character device", _ => "a regular file" };
        string where = what == "file/below" ? Path.Combine(_files.DirectoryPath, "file") : path;
        Assert.That(result.Error, Does.StartWith($"fwrules: {option} {path} ").And.Contain($"{where} is {kind}, not a directory"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
    }

    [TestCase("fifo")]
    [TestCase("file")]
    public async Task ServeCacheThatIsNoDirectory_EndsAtStartWithOneLine(string what)
    {
        LinuxTools.Require("mkfifo");
        string path = Special(what);

        // Bounded: a mirror that took it went on serving (and logging each failed store).
        await using var run = RunningFwrules.Start(null, holdStdin: false, "serve", "--listen", "127.0.0.1:0", "--cache", path);
        ProcessResult result = await run.EndedAsync(TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: cache {path} is {(what == "fifo" ? "a FIFO" : "a regular file")}, not a directory\n"));
    }

    private string Special(string what)
    {
        if (what.StartsWith('/'))
        {
            return what;
        }

        string path = Path.Combine(_files.DirectoryPath, what);
        if (what == "fifo")
        {
            LinuxTools.Run("mkfifo", [path]).Succeeded();
        }
        else
        {
            _files.Write("file", "not a directory\n");
        }

        return path;
    }
}
