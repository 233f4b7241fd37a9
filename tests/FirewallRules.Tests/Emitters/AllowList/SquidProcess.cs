using System.Diagnostics;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Debian's squid run in a namespace from a folder of its own (its <c>squid.conf</c>, logs and pid file), under a service name
/// of its own (<c>squid -n</c>). Squid names its shared memory segments after that name (<c>/dev/shm/NAME-cf__*.shm</c>, made
/// even with <c>-N</c>), and <c>/dev/shm</c> is the same in every network namespace: two squids of one name starting at once, in
/// fixtures that run beside each other, would each remove the other's segments and one would exit. On dispose the process tree
/// is killed, the folder deleted and the segments the killed squid leaves behind removed.
/// </summary>
internal sealed class SquidProcess : IDisposable
{
    private static int _count;
    private readonly Process _process;
    private readonly string _directory;
    private readonly string _name;

    private SquidProcess(Process process, string directory, string name) => (_process, _directory, _name) = (process, directory, name);

    /// <summary>Starts squid in <paramref name="ns"/> with <paramref name="directory"/>'s <c>squid.conf</c>.</summary>
    public static SquidProcess Start(NetworkNamespace ns, string directory)
    {
        // Letters and digits, as squid wants; no other squid of this test run has it.
        string name = $"fwr{Environment.ProcessId}x{Interlocked.Increment(ref _count)}";
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "netns", "exec", ns.Name, "squid", "-N", "-n", name, "-f", Path.Combine(directory, "squid.conf") })
        {
            start.ArgumentList.Add(arg);
        }

        return new SquidProcess(Process.Start(start) ?? throw new InvalidOperationException("squid did not start"), directory, name);
    }

    /// <summary>Fails the test with squid's own log when it has exited.</summary>
    public void FailIfExited()
    {
        if (_process.HasExited)
        {
            Assert.Fail($"squid exited ({_process.ExitCode}): {File.ReadAllText(Path.Combine(_directory, "cache.log"))}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
        foreach (string segment in Directory.EnumerateFiles("/dev/shm", $"{_name}-*.shm"))
        {
            File.Delete(segment);
        }
    }
}
