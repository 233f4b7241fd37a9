namespace FirewallRules.Tests.Cli;

/// <summary>
/// The one place names in the tool are places (locations): <c>--region</c> of the AWS formats. A mistyped one is a
/// usage error with the nearest region, as a mistyped site or section is, before anything is fetched or AWS is called.
/// </summary>
[TestFixture]
public sealed class AwsRegionNameTests
{
    private string _work = null!;

    [SetUp]
    public void CreateDirectory() => _work = Directory.CreateTempSubdirectory("fwrules-region-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_work, recursive: true);

    [TestCase("us-est-1", "--region us-est-1: not an AWS region this version of fwrules knows (with AWS_ENDPOINT_URL set, any name is let through). Did you mean 'us-east-1'?")]
    [TestCase(
        "eu-central1",
        "--region eu-central1: not an AWS region this version of fwrules knows (with AWS_ENDPOINT_URL set, any name is let through). Did you mean 'eu-central-1'?")]
    [TestCase("mars-north-9", "--region mars-north-9: not an AWS region this version of fwrules knows (with AWS_ENDPOINT_URL set, any name is let through).")]
    public async Task AwsSync_MistypedRegion_ExitsTwoWithTheNearestRegion(string region, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null,
            "sync", "-f", "aws-prefix-list", "--region", region, "--base-url", "http://127.0.0.1:9/", "--retries", "0",
            "--cache", Path.Combine(_work, "c"), "--state", Path.Combine(_work, "s"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message} See 'fwrules sync --help'.\n"));
        Assert.That(Directory.Exists(Path.Combine(_work, "s")), Is.False, "nothing was started");
    }

    [Test]
    public async Task AwsSync_KnownRegion_IsNotAUsageError()
    {
        // Gets as far as fetching (nothing listens on port 9): exit 3, not 2.
        ProcessResult result = await FwrulesProcess.RunWithEnvironmentAsync(Credentials(endpoint: null), null,
            "sync", "-f", "aws-prefix-list", "--region", "eu-central-1", "--base-url", "http://127.0.0.1:9/", "--retries", "0",
            "--cache", Path.Combine(_work, "c"), "--state", Path.Combine(_work, "s"));

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
    }

    [Test]
    public async Task AwsSync_UnknownRegionAgainstAnEndpointOfYourOwn_IsLetThrough()
    {
        ProcessResult result = await FwrulesProcess.RunWithEnvironmentAsync(Credentials(endpoint: "http://127.0.0.1:9"), null,
            "sync", "-f", "aws-prefix-list", "--region", "local-test-1", "--base-url", "http://127.0.0.1:9/", "--allow-http", "--retries", "0",
            "--cache", Path.Combine(_work, "c"), "--state", Path.Combine(_work, "s"));

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
    }

    [Test]
    public async Task OtherFormat_AnyRegion_IsRefusedAsNotItsOptionOnly()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "sync", "-f", "nftables", "--region", "us-est-1", "--state", _work);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--region is for the AWS formats").And.Not.Contain("not an AWS region"));
    }

    /// <summary>Test credentials and no config files, so that the run gets past making the EC2 client; an endpoint of your own when given.</summary>
    private static Dictionary<string, string> Credentials(string? endpoint)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_CONFIG_FILE"] = "/nonexistent/fwrules-tests",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/fwrules-tests",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        if (endpoint is not null)
        {
            environment["AWS_ENDPOINT_URL"] = endpoint;
        }

        return environment;
    }
}
