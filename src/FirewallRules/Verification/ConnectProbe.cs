using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Verification;

/// <summary>
/// Asks the kernel whether a TCP connection to an address and port gets out: a real connection attempt, so the
/// SYN passes this host's nftables or iptables rules (whichever table holds them) and the answer comes back
/// through them. Nothing is sent after the handshake.
/// </summary>
internal static class ConnectProbe
{
    /// <summary>Tries to connect within <paramref name="timeout"/> and says what happened.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ConnectOutcome> RunAsync(IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), attempt.Token).ConfigureAwait(false);
            return ConnectOutcome.Connected;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ConnectOutcome.NoAnswer;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return ConnectOutcome.Refused;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut)
        {
            return ConnectOutcome.NoAnswer;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AccessDenied)
        {
            return ConnectOutcome.Denied;
        }
        catch (SocketException)
        {
            // Unreachable network or host, or no address of that family on this host.
            return ConnectOutcome.NoRoute;
        }
    }
}
