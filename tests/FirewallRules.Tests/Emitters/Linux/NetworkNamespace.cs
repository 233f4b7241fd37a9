using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// A throwaway network namespace (<c>fwr-test-</c>, or <c>FWRULES_TEST_NETNS_PREFIX</c> when set, and a random suffix, so
/// parallel runs from other checkouts never collide and each checkout's are known as its own): its own loopback, its own
/// nftables/iptables/ipset state, nothing shared with the host. Deleted on dispose.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates a namespace with loopback up. Call <see cref="LinuxTools.Require"/> first.</summary>
    public static NetworkNamespace Create()
    {
        string prefix = Environment.GetEnvironmentVariable("FWRULES_TEST_NETNS_PREFIX") is { Length: > 0 and <= 16 } chosen ? chosen : "fwr-test-";
        var created = new NetworkNamespace($"{prefix}{Guid.NewGuid().ToString("N")[..8]}");
        LinuxTools.Run("ip", ["netns", "add", created.Name]).Succeeded();
        try
        {
            // No duplicate address detection: IPv6 addresses are usable at once instead of after a second.
            created.Exec("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0").Succeeded();
            LinuxTools.Run("ip", ["-n", created.Name, "link", "set", "lo", "up"]).Succeeded();
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="tool"/> inside the namespace (<c>ip netns exec</c>).</summary>
    public ToolResult Exec(string tool, params string[] args) => ExecWithInput(null, tool, args);

    /// <summary>Runs <paramref name="tool"/> inside the namespace with <paramref name="stdin"/> as its input.</summary>
    public ToolResult ExecWithInput(string? stdin, string tool, params string[] args) =>
        LinuxTools.Run("ip", ["netns", "exec", Name, tool, .. args], stdin);

    /// <summary>Runs <paramref name="tool"/> on a file holding <paramref name="content"/>, as users apply the outputs: <c>tool args... FILE</c>.</summary>
    public ToolResult ExecOnFile(string content, string tool, params string[] args)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{Name}-{Guid.NewGuid():N}");
        File.WriteAllText(path, content);
        try
        {
            return Exec(tool, [.. args, path]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Creates a TCP (or UDP) socket inside the namespace: a short-lived thread enters it (setns affects only the
    /// calling thread) and creates the socket there; the socket stays in the namespace for its whole life.
    /// </summary>
    public Socket CreateSocket(AddressFamily family, ProtocolType protocol = ProtocolType.Tcp) =>
        Run(() => new Socket(family, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol));

    /// <summary>
    /// Runs <paramref name="work"/> on a short-lived thread that has entered the namespace, and returns its result: every socket
    /// it creates belongs to the namespace for its whole life, so a batch of sockets costs one thread.
    /// </summary>
    public T Run<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{Name}");
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into {Name}");
                }

                result = work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }

    /// <summary>Runs <c>ip -n NAME ARGS</c>, which must succeed: links, addresses and routes seen from inside.</summary>
    public void Ip(params string[] args) => LinuxTools.Run("ip", ["-n", Name, .. args]).Succeeded();

    public void Dispose() => LinuxTools.Run("ip", ["netns", "delete", Name]);

    // DllImport rather than LibraryImport: the signature is blittable, and the test project stays free of unsafe code.
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int type);
}
