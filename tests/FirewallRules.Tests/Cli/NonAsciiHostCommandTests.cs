namespace FirewallRules.Tests.Cli;

/// <summary>
/// A <c>dd_url</c> whose host is not ASCII (<c>relаy.internal</c> with a Cyrillic <c>а</c>, a look-alike of another name)
/// from a file, the environment or the chart's values: refused by <c>plan</c> and <c>generate</c> alike, where any other bad
/// <c>dd_url</c> is, in one line naming the file, line and key; exit 1, nothing on stdout.
/// </summary>
[TestFixture]
public class NonAsciiHostCommandTests
{
    private const string Host = "https://rel\u0430y.internal:8443";

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private (string Option, string Path, string Key) Input(string option) => option switch
    {
        "--agent-config" => (option, _files.Write("bad.yaml", $"api_key: x\ndd_url: {Host}\n"), "bad.yaml:2: dd_url"),
        "--agent-env" => (option, _files.Write("bad.env", $"DD_API_KEY=x\nDD_DD_URL={Host}\n"), "bad.env:2: DD_DD_URL"),
        _ => (option, _files.Write("values.yaml", $"datadog:\n  apiKey: x\n  dd_url: {Host}\n"), "values.yaml:3: datadog.dd_url"),
    };

    [TestCase("--agent-config", "plan")]
    [TestCase("--agent-config", "squid")]
    [TestCase("--agent-config", "nftables")]
    [TestCase("--agent-env", "plan")]
    [TestCase("--agent-env", "domains")]
    [TestCase("--helm-values", "plan")]
    [TestCase("--helm-values", "cilium")]
    public async Task DdUrlWithANonAsciiHost_PlanAndGenerate_RefuseItInOneLineNamingFileLineAndKey(string option, string command)
    {
        (string name, string path, string key) = Input(option);
        string[] arguments = command == "plan" ? ["plan", name, path] : ["generate", "-f", command, name, path];

        ProcessResult result = await FwrulesInProcess.RunAsync(null, arguments);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith($"fwrules: {_files.DirectoryPath}/{key}: must be a URL such as https://app.datadoghq.com, its host name in ASCII"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n").And.Not.Contain("(?)"));
    }
}
