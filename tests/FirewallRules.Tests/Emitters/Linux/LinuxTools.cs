using System.Diagnostics;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// Runs the real netfilter tools, and gates the tests that need them: root (network namespaces) and
/// every tool on the machine. Locally a missing prerequisite ignores the test with the reason; with
/// <c>CI=true</c> it fails it, because CI installs the tools and runs as root (.ci/run), so a missing one
/// there is a broken pipeline, never a pass.
/// </summary>
internal static class LinuxTools
{
    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Stops the test (ignored locally, failed in CI) unless it runs as root on Linux with every tool present.</summary>
    public static void Require(params string[] tools)
    {
        string? missing = MissingPrerequisite(tools);
        if (missing is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"{missing}; CI must run them (.ci/run installs the tools and runs as root)");
        }

        Assert.Ignore(missing);
    }

    /// <summary>Why the real-tool tests cannot run here, or null when they can.</summary>
    public static string? MissingPrerequisite(IEnumerable<string> tools) =>
        !OperatingSystem.IsLinux() ? "the real-tool tests need Linux"
        : !Environment.IsPrivilegedProcess ? "the real-tool tests need root (they create network namespaces)"
        : tools.Where(t => Find(t) is null).ToArray() is { Length: > 0 } absent
            ? $"the real-tool tests need {string.Join(", ", absent)} (apt-get install nftables iptables ipset iproute2)"
            : null;

    /// <summary>
    /// How long one command may take: 30 seconds on an idle machine, scaled by the load per core (a machine running 40
    /// processes on 2 cores gives each 20 times less), or <c>FWRULES_TEST_COMMAND_SECONDS</c> when set.
    /// </summary>
    public static TimeSpan CommandLimit
    {
        get
        {
            if (int.TryParse(Environment.GetEnvironmentVariable("FWRULES_TEST_COMMAND_SECONDS"), out int seconds) && seconds > 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            double load = 0;
            try
            {
                string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
                load = double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not Linux, or no /proc: the idle machine's limit.
            }

            return TimeSpan.FromSeconds(30 * Math.Clamp(load / Environment.ProcessorCount, 1, 20));
        }
    }

    /// <summary>Runs <paramref name="tool"/> to completion (at most <see cref="CommandLimit"/>) and returns what it printed.</summary>
    public static ToolResult Run(string tool, IEnumerable<string> args, string? stdin = null)
    {
        var start = new ProcessStartInfo(Find(tool) ?? tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        TimeSpan limit = CommandLimit;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{tool} {string.Join(' ', args)} did not finish in {limit.TotalSeconds:0} seconds"));
        }

        return new ToolResult($"{tool} {string.Join(' ', args)}", process.ExitCode, output.Result, error.Result);
    }

    private static string? Find(string tool) =>
        SearchPath.Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
}

/// <summary>What a tool printed and how it exited.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>The output, after asserting that the tool succeeded.</summary>
    public string Succeeded()
    {
        Assert.That(ExitCode, Is.Zero, $"{Command} failed:\n{Error}{Output}");
        return Output;
    }
}
