using System.Diagnostics;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Debian's squid running in a namespace on 127.0.0.1:3128 with Debian's squid.conf order and the generated include where its header
/// says (before the first <c>http_access</c> line: then the Safe_ports and SSL_ports denials, then <c>http_access deny all</c>), every
/// given name resolved to <c>address</c> (<see cref="IntakeAddress"/> unless given, put on the namespace's loopback) through its <c>hosts_file</c>. Stopped
/// (its process tree killed by PID) and its files deleted on dispose.
/// </summary>
internal sealed class SquidInNamespace : IDisposable
{
    private readonly SquidProcess _squid;

    private SquidInNamespace(SquidProcess squid) => _squid = squid;

    /// <summary>
    /// Where the names resolve unless a test says otherwise: an ordinary public address (the include refuses every destination at a
    /// special-purpose one, loopback included), held by the namespace's loopback so that the intake listeners answer there.
    /// </summary>
    public const string IntakeAddress = "45.77.0.2";

    public static SquidInNamespace Start(NetworkNamespace ns, string include, IEnumerable<string> names, string address = IntakeAddress)
    {
        if (address == IntakeAddress)
        {
            ns.Exec("ip", "addr", "replace", $"{IntakeAddress}/32", "dev", "lo").Succeeded();
        }

        string dir = Directory.CreateTempSubdirectory("fwrules-squid-").FullName;
        // Squid drops to the proxy user: its files must be readable and its logs writable by it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }

        File.WriteAllText(Path.Combine(dir, "datadog-agent.conf"), include);
        File.WriteAllText(Path.Combine(dir, "hosts"), $"{address} {string.Join(' ', names)}\n");
        File.WriteAllText(Path.Combine(dir, "squid.conf"), $"""
            http_port 127.0.0.1:3128
            pid_filename {dir}/squid.pid
            cache_log {dir}/cache.log
            access_log stdio:{dir}/access.log
            cache deny all
            shutdown_lifetime 0 seconds
            hosts_file {dir}/hosts
            dns_nameservers 127.0.0.1
            coredump_dir {dir}
            acl SSL_ports port 443
            acl Safe_ports port 80
            acl Safe_ports port 443
            acl CONNECT method CONNECT
            include {dir}/datadog-agent.conf
            http_access deny !Safe_ports
            http_access deny CONNECT !SSL_ports
            http_access deny all

            """);
        var squid = new SquidInNamespace(SquidProcess.Start(ns, dir));
        squid.WaitListening(ns);
        return squid;
    }

    public void Dispose() => _squid.Dispose();

    private void WaitListening(NetworkNamespace ns)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            _squid.FailIfExited();

            if (ns.Exec("ss", "-Hltn", "sport = :3128").Output.Contains("3128", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(200);
        }

        Assert.Fail("squid did not listen on 127.0.0.1:3128 within 20 seconds");
    }
}
