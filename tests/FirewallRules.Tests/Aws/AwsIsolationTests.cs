using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Aws;

/// <summary>
/// The AWS SDK stays out of the other verbs: <c>strace</c> lists every assembly the built tool opens, and neither
/// FirewallRules.Aws nor AWSSDK.* is among them unless sync runs an AWS format.
/// </summary>
[TestFixture]
[Category("Aws")]
public sealed class AwsIsolationTests
{
    [TestCase("generate --section logs --format nftables", 0)]
    [TestCase("sync --help", 0)]
    [TestCase("sync -f nftables --region us-east-1", 2)]
    public void Verb_OtherThanAwsSync_OpensNoAwsAssembly(string command, int exitCode)
    {
        IReadOnlyList<string> opened = OpenedAssemblies(command, exitCode);

        Assert.That(opened, Has.Some.EndsWith("/fwrules.dll"), "strace saw the tool load its own assembly");
        Assert.That(opened, Has.None.Contains("FirewallRules.Aws").And.None.Contains("AWSSDK"));
    }

    [Test]
    public void AwsPrefixListSync_OpensTheSdk()
    {
        // Fails fetching (nothing listens on port 9) once the EC2 client is made: far enough to load the SDK.
        IReadOnlyList<string> opened = OpenedAssemblies("sync -f aws-prefix-list --base-url http://127.0.0.1:9/ --allow-http --retries 0 --cache {work}/c --state {work}/s", 3);

        Assert.That(opened, Has.Some.EndsWith("/FirewallRules.Aws.dll").And.Some.EndsWith("/AWSSDK.EC2.dll"));
    }

    private static IReadOnlyList<string> OpenedAssemblies(string command, int exitCode)
    {
        string strace = ExternalTool.Command("strace");
        string work = Directory.CreateTempSubdirectory("fwrules-strace-").FullName;
        try
        {
            string trace = Path.Combine(work, "trace");
            string[] args = command.Replace("{work}", work, StringComparison.Ordinal).Split(' ');
            var environment = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
                ["AWS_REGION"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = "testing",
                ["AWS_SECRET_ACCESS_KEY"] = "testing",
                ["AWS_CONFIG_FILE"] = "/nonexistent/fwrules-tests",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/fwrules-tests",
                ["AWS_EC2_METADATA_DISABLED"] = "true",
            };

            ToolResult run = ExternalTool.Run(strace,
                ["-f", "-e", "trace=openat", "-o", trace, FwrulesProcess.FrameworkDependentTool, .. args], environment);

            Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.Error);
            return [.. File.ReadAllLines(trace).Where(line => line.Contains(".dll\"", StringComparison.Ordinal) && !line.Contains("ENOENT", StringComparison.Ordinal))
                .Select(line => line.Split('"')[1])];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
