namespace FirewallRules.Tests.Server;

/// <summary>
/// <c>serve</c>'s configuration with a key it does not know (a misspelt <c>Cachee</c>, a section <c>Serv</c>, a variable
/// <c>FWRULES_SERVE__REFERSH</c>), a value of the wrong shape, or an empty directory name: each is one line naming the key,
/// and the key meant when one is near, exit 2 at start; never a setting silently ignored (the mirror then ran on defaults)
/// or a stack trace (an empty <c>Cache</c> gave exit 134). Each run is bounded: today's mirror started and served instead.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeConfigurationKeysTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Cachee": "/var/cache/x"}}""", "Serve:Cachee is not a setting; did you mean Cache?")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "refersh": "5m"}}""", "Serve:refersh is not a setting; did you mean Refresh?")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Color": "blue"}}""",
        "Serve:Color is not a setting: use Sites, BaseUrl, Listen, Cache, Refresh, Retries, AllowHttp, Notify, Otlp, PublicUrl, Offline or Input")]
    [TestCase("""{"Serv": {"Listen": ["127.0.0.1:0"]}}""", "Serv is not a section; did you mean Serve?")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"]}, "Loging": {}}""", "Loging is not a section; did you mean Logging?")]
    public async Task UnknownKeyInTheFile_IsOneLineNamingItAndTheKeyMeant(string json, string message)
    {
        ProcessResult result = await ServeAsync(null, json);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {Path.Combine(_files.DirectoryPath, "serve.json")}: {message}\n"));
    }

    /// <summary>The configuration reads keys ignoring case and merges a key given twice, the later values winning: one is refused.</summary>
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"]}, "Serve": {"Cache": "/var/cache/x"}}""", "Serve is given twice: write it once")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "listen": ["0.0.0.0:8080"]}}""", "Serve:listen is given twice: write it once")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Listen": ["127.0.0.1:1"]}}""", "Serve:Listen is given twice: write it once")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"]}, "Logging": {"LogLevel": {"Default": "Warning", "default": "Trace"}}}""",
        "Logging:LogLevel:default is given twice: write it once")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"]}, "Logging": {"LogLevel": {"Default": "Warning"}, "LOGLEVEL:default": "Trace"}}""",
        "Logging:LOGLEVEL:default is given twice: write it once")]
    public async Task KeyGivenTwiceInTheFile_IsOneLineNamingIt(string json, string message)
    {
        ProcessResult result = await ServeAsync(null, json);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {Path.Combine(_files.DirectoryPath, "serve.json")}: {message}\n"));
    }

    /// <summary>A level by its name only: the parse takes numbers and lists too, and a section under a category crashed the host's start.</summary>
    [TestCase("\"99\"", "'99' is not a log level")]
    [TestCase("\"-1\"", "'-1' is not a log level")]
    [TestCase("\"Information,Debug\"", "'Information,Debug' is not a log level")]
    [TestCase("{\"x\": \"Loud\"}", "a section is not a log level")]
    public async Task LogLevelNotANamedLevel_IsOneLineNamingTheKey(string level, string message)
    {
        ProcessResult result = await ServeAsync(null, """{"Serve": {"Listen": ["127.0.0.1:0"]}, "Logging": {"LogLevel": {"Default": """ + level + "}}}");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo(
            $"fwrules: Logging:LogLevel:Default: {message}: use one of Trace, Debug, Information, Warning, Error, Critical, None\n"));
    }

    /// <summary>The configuration reads variables' names ignoring case, and an index merges with the file's list entry by entry.</summary>
    [TestCase("FWRULES_SERVE__REFRESH", "FWRULES_SERVE__refresh", "FWRULES_SERVE__REFRESH and FWRULES_SERVE__refresh name one setting: set it once")]
    [TestCase("FWRULES_SERVE__LISTEN__0", null,
        "FWRULES_SERVE__LISTEN__0: give the whole value in FWRULES_SERVE__LISTEN (a list as a,b), which replaces the file's")]
    public async Task VariableTwiceOrIndexed_IsOneLineNamingIt(string variable, string? other, string message)
    {
        var environment = new Dictionary<string, string> { [variable] = "127.0.0.3:0" };
        if (other is not null)
        {
            environment[other] = "2h";
            environment[variable] = "1h";
        }

        ProcessResult result = await ServeAsync(environment, """{"Serve": {"Listen": ["127.0.0.1:0", "127.0.0.2:0"]}}""");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message}\n"));
    }

    [TestCase("FWRULES_SERVE__CACHEE", "FWRULES_SERVE__CACHEE is not a setting; did you mean FWRULES_SERVE__CACHE?")]
    [TestCase("FWRULES_SERVE_REFRESH", "FWRULES_SERVE_REFRESH is not a setting; did you mean FWRULES_SERVE__REFRESH?")]
    [TestCase("FWRULES_SERVE__COLOR", "FWRULES_SERVE__COLOR is not a setting: use FWRULES_SERVE__<KEY> with one of Sites, BaseUrl, Listen, Cache, Refresh, " +
        "Retries, AllowHttp, Notify, Otlp, PublicUrl, Offline or Input")]
    public async Task UnknownVariable_IsOneLineNamingItAndTheVariableMeant(string variable, string message)
    {
        ProcessResult result = await ServeAsync(new Dictionary<string, string> { [variable] = "/tmp" }, """{"Serve": {"Listen": ["127.0.0.1:0"]}}""");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message}\n"));
    }

    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Cache": {"Path": "/var/cache/x"}}}""", "Serve:Cache: must be one value, not a list or a section")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Retries": [1, 2]}}""", "Serve:Retries: must be one value, not a list or a section")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Sites": [["us1"]]}}""", "Serve:Sites: each entry must be one value, not a list or a section")]
    [TestCase("""{"Serve": "us1"}""", "Serve: must be a section of settings, not one value")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Cache": ""}}""", "Serve:Cache: '' is not a directory name")]
    [TestCase("""{"Serve": {"Listen": ["127.0.0.1:0"], "Cache": "  "}}""", "Serve:Cache: '  ' is not a directory name")]
    public async Task ValueOfTheWrongShapeOrAnEmptyCache_IsOneLineNamingTheKey(string json, string message)
    {
        ProcessResult result = await ServeAsync(null, json);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message}\n"));
    }

    /// <summary>A password may hold / ? or # unencoded, which end the authority as a URL parser reads it: never quoted.</summary>
    [TestCase("FWRULES_SERVE__BASEURL", "https://user:s3cr3t/x@host/?sig=T0KEN")]
    [TestCase("FWRULES_SERVE__NOTIFY", "https://user:s3cr3t#x@host/")]
    [TestCase("FWRULES_SERVE__OTLP", "https://user:s3cr3t?x@host/")]
    [TestCase("FWRULES_SERVE__PUBLICURL", "https://user:s3cr3t/x@host/")]
    public async Task RefusedAddressWithAPassword_IsQuotedWithoutIt(string variable, string value)
    {
        ProcessResult result = await ServeAsync(new Dictionary<string, string> { [variable] = value }, """{"Serve": {"Listen": ["127.0.0.1:0"]}}""");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("***@host/").And.Not.Contain("s3cr3t").And.Not.Contain("T0KEN"));
    }

    [Test]
    public async Task EmptyCacheVariable_IsOneLineNotAStackTrace()
    {
        ProcessResult result = await ServeAsync(new Dictionary<string, string> { ["FWRULES_SERVE__CACHE"] = string.Empty }, """{"Serve": {"Listen": ["127.0.0.1:0"]}}""");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo("fwrules: Serve:Cache: '' is not a directory name\n"));
    }

    // A mirror that ignored the key would start and serve: the run is bounded, and killed when it outlives that.
    private async Task<ProcessResult> ServeAsync(IReadOnlyDictionary<string, string>? environment, string json)
    {
        string config = _files.Write("serve.json", json);
        await using var run = RunningFwrules.Start(environment, holdStdin: false, "serve", "--config", config, "--cache", Path.Combine(_files.DirectoryPath, "c"));
        return await run.EndedAsync(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task ServeHelp_ConfigOption_NamesEveryKeyTheConfigurationTakes()
    {
        ProcessResult help = await FwrulesProcess.RunAsync(null, "serve", "--help");

        Assert.That(help.ExitCode, Is.Zero, help.Error);
        Assert.That(help.Output, Does.Contain("(Sites, BaseUrl, Listen, Cache, Refresh, Retries, AllowHttp, Notify, Otlp, PublicUrl, Offline, Input)"));
    }
}
