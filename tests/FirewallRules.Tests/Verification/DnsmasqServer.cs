using System.Diagnostics;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Verification;

/// <summary>
/// Debian's dnsmasq answering on a namespace's loopback, with that namespace's <c>resolv.conf</c> pointing at it
/// (<c>/etc/netns/NAME/resolv.conf</c>, which <c>ip netns exec</c> mounts over <c>/etc/resolv.conf</c>, see ip-netns(8)):
/// a program run inside resolves through the system resolver and gets exactly these records. Every other name is
/// NXDOMAIN.
/// </summary>
internal sealed class DnsmasqServer : IDisposable
{
    private readonly Process _process;
    private readonly string _netnsEtc;

    private DnsmasqServer(Process process, string netnsEtc)
    {
        _process = process;
        _netnsEtc = netnsEtc;
    }

    /// <summary>Starts dnsmasq in <paramref name="ns"/> with these A records (name, address; at least one).</summary>
    public static DnsmasqServer Start(NetworkNamespace ns, params (string Name, string Address)[] records)
    {
        string netnsEtc = Path.Combine("/etc/netns", ns.Name);
        Directory.CreateDirectory(netnsEtc);
        File.WriteAllText(Path.Combine(netnsEtc, "resolv.conf"), "nameserver 127.0.0.1\n");
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", ns.Name, "dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
            "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53", "--pid-file=", "--user=root", "--log-facility=-", "--address=/#/",
            .. records.Select(r => $"--host-record={r.Name},{r.Address}")])
        {
            start.ArgumentList.Add(arg);
        }

        var server = new DnsmasqServer(Process.Start(start) ?? throw new InvalidOperationException("dnsmasq did not start"), netnsEtc);
        server.WaitUntilAnswering(ns, records[0].Name);
        return server;
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_netnsEtc, recursive: true);
    }

    private void WaitUntilAnswering(NetworkNamespace ns, string name)
    {
        for (int attempt = 0; attempt < 50 && !_process.HasExited; attempt++)
        {
            if (ns.Exec("getent", "hosts", name).ExitCode == 0)
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"dnsmasq did not answer for {name}: {(_process.HasExited ? _process.StandardError.ReadToEnd() : "still starting after 5 s")}");
    }
}
