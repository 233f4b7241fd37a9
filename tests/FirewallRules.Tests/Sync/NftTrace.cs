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
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Trace> _traces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (bool Accepted, bool Done)> _keys = new(StringComparer.Ordinal);
    private readonly string _table, _after;

    private NftTrace(Process monitor, string table, string after)
    {
        (_monitor, _table, _after) = (monitor, table, after);
        _monitor.OutputDataReceived += (_, line) => Read(line.Data);
        _monitor.BeginOutputReadLine();
    }

    /// <summary>One traced packet: its key, whether a rule of the table accepted it, and whether its trace is through the table.</summary>
    private sealed record Trace(string Key, bool Accepted, bool Done);

    /// <summary>
    /// Starts tracing in <paramref name="ns"/>, and returns once a packet sent by <paramref name="canary"/> is seen traced. A packet's
    /// trace is through <paramref name="table"/> once a line of <paramref name="after"/> (<c>TABLE CHAIN</c>, the base chain its hook runs
    /// next) is read, or the table dropped it: only then is whether the table accepted it known.
    /// </summary>
    public static async Task<NftTrace> StartAsync(NetworkNamespace ns, string table, string after, Func<Task<string?>> canary)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", ns.Name, "stdbuf", "-oL", "nft", "monitor", "trace"])
        {
            start.ArgumentList.Add(arg);
        }

        var trace = new NftTrace(Process.Start(start)!, table, after);
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

    /// <summary>Waits until every key was traced through the table (or <paramref name="timeout"/>); true when all were.</summary>
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
    public bool? Accepted(string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var trace) ? trace.Accepted : null;
        }
    }

    /// <summary>
    /// Forgets every packet traced so far, so that the next probes are judged by their own packets only: a source port is
    /// reused, and an old packet to the same address and port must not answer for a new one (nor slow every look-up).
    /// </summary>
    public void Forget()
    {
        lock (_gate)
        {
            _traces.Clear();
            _keys.Clear();
        }
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

    private bool Seen(string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var trace) && trace.Done;
        }
    }

    // A packet line starts a trace (afresh when the kernel reuses an id for another packet); a line of an id whose packet line came
    // before Forget is not read. A rule of the table accepting it, a line of the chain after, or the table's drop, are recorded.
    private void Read(string? line)
    {
        if (line is null || Line().Match(line) is not { Success: true } match)
        {
            return;
        }

        string id = match.Groups["id"].Value, table = match.Groups["table"].Value, rest = match.Groups["rest"].Value;
        string chain = rest.TrimStart().Split(' ')[0];
        lock (_gate)
        {
            Trace? trace = _traces.GetValueOrDefault(id);
            if (Packet().Match(rest) is { Success: true } packet)
            {
                string key = Key(IPAddress.Parse(packet.Groups["daddr"].Value), int.Parse(packet.Groups["dport"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(packet.Groups["sport"].Value, System.Globalization.CultureInfo.InvariantCulture));
                trace = trace?.Key == key ? trace : new Trace(key, false, false);
            }

            if (trace is null)
            {
                return;
            }

            bool ours = table == _table;
            bool dropped = ours && (rest.EndsWith("(verdict drop)", StringComparison.Ordinal) || rest.EndsWith("policy drop", StringComparison.Ordinal));
            trace = trace with
            {
                Accepted = trace.Accepted || (ours && rest.Contains(" rule ", StringComparison.Ordinal) && rest.EndsWith("(verdict accept)", StringComparison.Ordinal)),
                Done = trace.Done || $"{table} {chain}" == _after || dropped,
            };
            _traces[id] = trace;
            (bool accepted, bool done) = _keys.GetValueOrDefault(trace.Key);
            _keys[trace.Key] = (accepted || trace.Accepted, done || trace.Done);
        }
    }

    [GeneratedRegex(@"^trace id (?<id>\S+) inet (?<table>\S+)(?<rest> .*?)\s*$")]
    private static partial Regex Line();

    [GeneratedRegex(@" packet: .*? ip6? daddr (?<daddr>\S+) .*? tcp sport (?<sport>\d+) tcp dport (?<dport>\d+)")]
    private static partial Regex Packet();
}
