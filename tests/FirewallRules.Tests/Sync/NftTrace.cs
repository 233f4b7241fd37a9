using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The kernel's own account of each traced packet (<c>nft monitor trace</c> in a namespace): which table's rule accepted
/// it. A policy-accept table drops nothing, so whether its allow-list admits a connection is only seen here: a
/// connection's SYN is admitted when a rule of <c>table inet TABLE</c> gave it the verdict accept. Packets are traced by
/// a rule of the host's own (<c>meta nftrace set 1</c>), and found again by destination and source port.
/// </summary>
internal sealed partial class NftTrace : IDisposable
{
    private readonly Process _monitor;
    private readonly ConcurrentDictionary<string, (string? Key, bool Accepted)> _traces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.Ordinal);
    private readonly string _table;

    private NftTrace(Process monitor, string table)
    {
        (_monitor, _table) = (monitor, table);
        _monitor.OutputDataReceived += (_, line) => Read(line.Data);
        _monitor.BeginOutputReadLine();
    }

    /// <summary>Starts tracing in <paramref name="ns"/>, and returns once a packet sent by <paramref name="canary"/> is seen traced.</summary>
    public static async Task<NftTrace> StartAsync(NetworkNamespace ns, string table, Func<Task<string?>> canary)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", ns.Name, "stdbuf", "-oL", "nft", "monitor", "trace"])
        {
            start.ArgumentList.Add(arg);
        }

        var trace = new NftTrace(Process.Start(start)!, table);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (await canary() is { } key && await trace.WaitAsync([key], TimeSpan.FromMilliseconds(300)))
            {
                return trace;
            }
        }

        trace.Dispose();
        throw new InvalidOperationException("nft monitor trace saw none of the canary's packets in 20 s");
    }

    /// <summary>The key of a packet: destination address, destination port, source port.</summary>
    public static string Key(IPAddress destination, int port, int sourcePort) => $"{destination} {port} {sourcePort}";

    /// <summary>Waits until every key was traced (or <paramref name="timeout"/>); true when all were.</summary>
    public async Task<bool> WaitAsync(IReadOnlyCollection<string> keys, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!keys.All(Seen))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Whether a packet of <paramref name="key"/> was accepted by a rule of the table; null when none was traced.</summary>
    public bool? Accepted(string key) => _keys.TryGetValue(key, out bool accepted) ? accepted : null;

    /// <summary>
    /// Forgets every packet traced so far, so that the next probes are judged by their own packets only: a source port is
    /// reused, and an old packet to the same address and port must not answer for a new one (nor slow every look-up).
    /// </summary>
    public void Forget()
    {
        _traces.Clear();
        _keys.Clear();
    }

    public void Dispose()
    {
        try
        {
            _monitor.Kill();
            _monitor.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }

        _monitor.Dispose();
    }

    private bool Seen(string key) => _keys.ContainsKey(key);

    private void Record(string id, string? key, bool accepted)
    {
        (string? Key, bool Accepted) trace = _traces.AddOrUpdate(id, (key, accepted), (_, old) => (old.Key ?? key, old.Accepted || accepted));
        if (trace.Key is { } known)
        {
            _keys.AddOrUpdate(known, trace.Accepted, (_, old) => old || trace.Accepted);
        }
    }

    private void Read(string? line)
    {
        if (line is null || Line().Match(line) is not { Success: true } match)
        {
            return;
        }

        string id = match.Groups["id"].Value, table = match.Groups["table"].Value, rest = match.Groups["rest"].Value;
        if (Packet().Match(rest) is { Success: true } packet)
        {
            string key = Key(IPAddress.Parse(packet.Groups["daddr"].Value), int.Parse(packet.Groups["dport"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(packet.Groups["sport"].Value, System.Globalization.CultureInfo.InvariantCulture));
            Record(id, key, accepted: false);
        }
        else if (table == _table && rest.Contains(" rule ", StringComparison.Ordinal) && rest.EndsWith("(verdict accept)", StringComparison.Ordinal))
        {
            Record(id, key: null, accepted: true);
        }
    }

    [GeneratedRegex(@"^trace id (?<id>\S+) inet (?<table>\S+)(?<rest> .*?)\s*$")]
    private static partial Regex Line();

    [GeneratedRegex(@" packet: .*? ip6? daddr (?<daddr>\S+) .*? tcp sport (?<sport>\d+) tcp dport (?<dport>\d+)")]
    private static partial Regex Packet();
}
