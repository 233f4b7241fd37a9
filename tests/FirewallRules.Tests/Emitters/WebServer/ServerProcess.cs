using System.Diagnostics;
using System.Globalization;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>
/// One of Debian's web servers run in the foreground in a namespace, from a folder of its own holding its configuration, the
/// generated files and its logs. It is ready once every port it was given listens; on dispose its process tree is killed and its
/// folder deleted.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private ServerProcess(Process process, string directory, string log) => (_process, Directory, _log) = (process, directory, log);

    /// <summary>The server's folder.</summary>
    public string Directory { get; }

    /// <summary>A folder for a server's files, readable by the unprivileged user its workers run as.</summary>
    /// <exception cref="InvalidOperationException">A folder above it is closed to others (a <c>TMPDIR</c> made by <c>mktemp -d</c>).</exception>
    public static string NewDirectory(string server)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory($"fwrules-{server}-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            // Workers that drop to nobody or www-data answer 403 to every request when they cannot pass a folder above.
            for (DirectoryInfo? above = new DirectoryInfo(directory).Parent; above is not null; above = above.Parent)
            {
                if (!above.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
                {
                    throw new InvalidOperationException(
                        $"{above.FullName} is closed to other users (mode {Convert.ToString((int)above.UnixFileMode, 8)}), so {server}'s workers could not read their files: "
                        + "run the tests with a TMPDIR others may pass (chmod o+x).");
                }
            }
        }

        return directory;
    }

    /// <summary>Starts <paramref name="command"/> in <paramref name="ns"/> and waits until <paramref name="ports"/> listen (TCP).</summary>
    public static ServerProcess Start(NetworkNamespace ns, string directory, IReadOnlyList<int> ports, string[] command, IReadOnlyDictionary<string, string>? environment = null)
    {
        string log = Path.Combine(directory, "server.log");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$FWRULES_SERVER_LOG\" 2>&1");
        start.ArgumentList.Add("server");
        foreach (string arg in new[] { "ip", "netns", "exec", ns.Name }.Concat(command))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["FWRULES_SERVER_LOG"] = log;
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start"), directory, log);
        try
        {
            server.WaitListening(ns, ports, command[0]);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
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
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void WaitListening(NetworkNamespace ns, IReadOnlyList<int> ports, string name)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < LinuxTools.CommandLimit)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{name} exited ({_process.ExitCode}): {File.ReadAllText(_log)}");
            }

            string listening = ns.Exec("ss", "-Hltn").Output;
            if (ports.All(port => listening.Contains(string.Create(CultureInfo.InvariantCulture, $":{port} "), StringComparison.Ordinal)))
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"{name} did not listen on {string.Join(", ", ports)} in time: {File.ReadAllText(_log)}");
    }
}
