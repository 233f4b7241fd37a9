using System.Diagnostics;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Option values and destinations the fuzzing campaign found crashing the real process (exit 134 with a stack trace):
/// numbers that are not numbers or do not fit, an empty or directory <c>--output</c>, and a standard output that
/// cannot be written. Each is one line and its documented exit code now.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class HostileOptionsTests
{
    private static string Document => TestData.Path_("ip-ranges", "datadoghq.com-v52.json");

    [TestCase("--max-rules", "abc", "--max-rules must be a whole number (at least 1), not 'abc'.")]
    [TestCase("--max-rules", "99999999999", "--max-rules must be a whole number (at least 1), not '99999999999'.")]
    [TestCase("--max-rules", "0", "--max-rules must be at least 1.")]
    [TestCase("--max-rules", "1e3", "--max-rules must be a whole number (at least 1), not '1e3'.")]
    [TestCase("--output", "", "--output needs a file name ('-' for standard output).")]
    public async Task Generate_BadOptionValue_ExitsTwoOnOneLine(string option, string value, string message)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "--input", Document, "--format", "nftables", option, value);

        AssertUsageError(result, message);
    }

    [TestCase("aggregate", "--max", "99999999999", "--max must be a whole number (at least 1), not '99999999999'.")]
    [TestCase("aggregate", "--max", "x\u001b[2J", "--max must be a whole number (at least 1), not 'x\\u001B[2J'.")]
    [TestCase("aggregate", "--output", "", "--output needs a file name ('-' for standard output).")]
    [TestCase("fetch", "--retries", "99999999999", "--retries must be a whole number (between 0 and 10), not '99999999999'.")]
    [TestCase("fetch", "--retries", "ten", "--retries must be a whole number (between 0 and 10), not 'ten'.")]
    [TestCase("fetch", "--retries", "-1", "--retries must be between 0 and 10.")]
    [TestCase("serve", "--retries", "4294967296", "--retries must be a whole number (between 0 and 10), not '4294967296'.")]
    public async Task Verb_BadOptionValue_ExitsTwoOnOneLine(string verb, string option, string value, string message)
    {
        ProcessResult result = await FwrulesProcess.RunAsync("10.0.0.0/8\n", verb, option, value);

        AssertUsageError(result, message);
    }

    [TestCase("127.0.0.0/8")]
    [TestCase("*")]
    [TestCase("https://127.0.0.1:8443")]
    [TestCase("127.0.0.1:8443")]
    public async Task Plan_AllowSpecialRelayThatNamesNoHost_ExitsTwoOnOneLine(string value)
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", "dd_url: https://127.0.0.1:8443\n");

        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", config, "--allow-special-relay", value);

        AssertUsageError(result, $"--allow-special-relay '{value}': use one host name or address (a network, pattern or URL is never a relay).");
    }

    [TestCase("generate", "--input", "DOC", "--format", "nftables", "--output", "/")]
    [TestCase("aggregate", "--output", "/")]
    public async Task Verb_OutputIsTheRootDirectory_ExitsOneOnOneLine(params string[] template)
    {
        ProcessResult result = await FwrulesProcess.RunAsync("10.0.0.0/8\n", [.. template.Select(arg => arg == "DOC" ? Document : arg)]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Is.EqualTo("fwrules: cannot write /: / is a directory\n"));
    }

    [TestCase("generate --input DOC --format iptables --family ipv4")]
    [TestCase("aggregate")]
    [TestCase("sections --input DOC")]
    [TestCase("diff OLD DOC")]
    [TestCase("formats")]
    public async Task Verb_StandardOutputIsFull_ExitsOneOnOneLine(string command)
    {
        // The shell's redirection to /dev/full: every write fails with ENOSPC.
        var start = new ProcessStartInfo("sh")
        {
            ArgumentList =
            {
                "-c",
                $"exec \"$0\" {command.Replace("DOC", Document, StringComparison.Ordinal)
                    .Replace("OLD", TestData.Path_("ip-ranges", "datadoghq.com-v40.json"), StringComparison.Ordinal)} > /dev/full",
                FwrulesProcess.Tool
            },
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start");
        await FwrulesProcess.EndInputAsync(process, "10.0.0.0/8\n");
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.EqualTo(1), error);
        Assert.That(error, Does.StartWith("fwrules: cannot write standard output: No space left on device"));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line, no stack trace");
    }

    private static void AssertUsageError(ProcessResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.StartWith($"fwrules: {message}"));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain('\n'), "a usage error is one line");
        Assert.That(result.Error, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
    }
}
