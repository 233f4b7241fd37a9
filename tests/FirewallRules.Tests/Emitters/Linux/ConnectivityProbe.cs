using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// One attempt to reach a listener from inside a namespace, optionally from a given source address, and
/// what should happen to it: "connected" (TCP), "answered" (a UDP echo came back), "refused" (nothing
/// listening: a setup error, never the rules' doing) or "blocked" (no answer in time: a dropped SYN or
/// datagram is never reported, whichever way it was going).
/// </summary>
internal sealed record ConnectivityProbe(
    NetworkNamespace From, string FromName, IPAddress Target, int Port, string Expected, ProtocolType Protocol = ProtocolType.Tcp, IPAddress? Source = null)
{
    /// <summary>Runs every probe at once and asserts each outcome, all reported together.</summary>
    public static async Task AssertOutcomes(params ConnectivityProbe[] probes)
    {
        string[] outcomes = await Task.WhenAll(probes.Select(probe => probe.Run()));
        Assert.That(
            probes.Zip(outcomes, (probe, outcome) => $"{probe} {outcome}"),
            Is.EqualTo(probes.Select(probe => $"{probe} {probe.Expected}")));
    }

    public override string ToString() =>
        $"{FromName}{(Source is null ? string.Empty : $" from {Source}")} to {new IPEndPoint(Target, Port)}/{(Protocol == ProtocolType.Udp ? "udp" : "tcp")}:";

    private async Task<string> Run()
    {
        using Socket socket = From.CreateSocket(Target.AddressFamily, Protocol);
        if (Source is not null)
        {
            socket.Bind(new IPEndPoint(Source, 0));
        }

        // Answers come in milliseconds on a quiet machine, but a loaded one can hold an echo for a second: a probe
        // that should get through waits long (paid only when it fails), one that should be dropped waits 750 ms
        // (the probes run together, so that is paid once per test). A late answer still counts as one.
        using var timeout = new CancellationTokenSource(Expected == "blocked" ? TimeSpan.FromMilliseconds(750) : TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(Target, Port), timeout.Token);
            if (Protocol == ProtocolType.Tcp)
            {
                return "connected";
            }

            byte[] datagram = "fwrules.probe:1|c"u8.ToArray();
            await socket.SendAsync(datagram, SocketFlags.None, timeout.Token);
            byte[] reply = new byte[64];
            int length = await socket.ReceiveAsync(reply, SocketFlags.None, timeout.Token);
            return reply.AsSpan(0, length).SequenceEqual(datagram) ? "answered" : "garbled";
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return "refused";
        }
        catch (OperationCanceledException)
        {
            return "blocked";
        }
        catch (SocketException ex)
        {
            return string.Create(CultureInfo.InvariantCulture, $"failed: {ex.SocketErrorCode} ({ex.Message})");
        }
    }
}
