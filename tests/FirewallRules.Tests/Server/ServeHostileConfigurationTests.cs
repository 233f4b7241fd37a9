using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Server;

/// <summary>
/// <c>fwrules serve</c> started with configurations it cannot run with: each is one line and a non-zero exit at start
/// (so systemd sees the failure and restarts or reports it), never a stack trace, a hang or a log line and exit 0.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeHostileConfigurationTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private static void OneLine(ProcessResult result, int code)
    {
        Assert.That(result.ExitCode, Is.EqualTo(code), result.Error);
        Assert.That(result.Error, Does.StartWith("fwrules: "));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), result.Error);
    }

    private Task<ProcessResult> ServeAsync(string json, params string[] args) =>
        FwrulesProcess.RunAsync(null, ["serve", "--config", _files.Write("serve.json", json), "--cache", Path.Combine(_files.DirectoryPath, "cache"), .. args]);

    [Test]
    public async Task ListenOnAnAddressTheHostLacks_IsOneLineExitOne()
    {
        ProcessResult result = await ServeAsync("""{"Serve": {"Listen": ["192.0.2.123:18080"]}}""");

        OneLine(result, 1);
        Assert.That(result.Error, Does.Contain("192.0.2.123:18080"));
    }

    [Test]
    public async Task UnknownLogLevel_IsOneLineExitTwo()
    {
        ProcessResult result = await ServeAsync("""{"Serve": {"Listen": ["127.0.0.1:0"]}, "Logging": {"LogLevel": {"Default": "Loud"}}}""");

        OneLine(result, 2);
        Assert.That(result.Error, Is.EqualTo(
            "fwrules: Logging:LogLevel:Default: 'Loud' is not a log level: use one of Trace, Debug, Information, Warning, Error, Critical, None\n"));
    }

    [Test]
    public async Task PlainHttpUpstreamNotOnLoopback_WithoutAllowHttp_IsOneLineExitTwoAtStart()
    {
        ProcessResult result = await ServeAsync("""{"Serve": {"Listen": ["127.0.0.1:0"], "BaseUrl": "http://mirror.example.invalid/"}}""");

        OneLine(result, 2);
        Assert.That(result.Error, Does.Contain("http://mirror.example.invalid/").And.Contain("allow-http"));
    }

    [TestCase("{\"Serve\": ")]
    [TestCase("[1, 2]")]
    public async Task MalformedJson_IsOneLineExitOne(string json)
    {
        OneLine(await ServeAsync(json), 1);
    }

    [Test]
    public async Task FiftyThousandNestedBrackets_IsOneLineExitOne()
    {
        OneLine(await ServeAsync("{\"Serve\": " + new string('[', 50_000) + new string(']', 50_000) + "}"), 1);
    }

    [Test]
    [Platform("Linux")]
    public async Task Fifo_AsTheConfigurationFile_IsRefusedNotWaitedOn()
    {
        LinuxTools.Require("mkfifo");
        string fifo = Path.Combine(_files.DirectoryPath, "serve.json");
        LinuxTools.Run("mkfifo", [fifo]).Succeeded();

        Task<ProcessResult> run = FwrulesProcess.RunAsync(null, "serve", "--config", fifo);
        Assert.That(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(run), "serve ended within 30 s");

        ProcessResult result = await run;
        OneLine(result, 1);
        Assert.That(result.Error, Does.Contain("is a FIFO, not a regular file"));
    }
}
