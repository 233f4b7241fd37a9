using System.Runtime.InteropServices;

namespace FirewallRules.Cli;

/// <summary>
/// SIGTERM and SIGINT turned into a cancellation a run honours between its calls, instead of the process ending at once:
/// what systemd's stop, <c>TimeoutStartSec=</c> and Ctrl+C send. The run then puts back what it changed part-way and
/// reports the stop in one line, with the shell's status for the signal (143 for SIGTERM, 130 for SIGINT).
/// </summary>
/// <remarks>A second signal changes nothing: the run is already stopping; SIGKILL (kill -9) is the way to end it at once.</remarks>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _received;

    private StopSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle)];
    }

    /// <summary>Cancelled by the first SIGTERM or SIGINT (or by the token given).</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Received => _received is not null;

    /// <summary>The signal's name, e.g. <c>SIGTERM</c>.</summary>
    public string Name => _received == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";

    /// <summary>The status a shell gives a process the signal ended: 128 and its number.</summary>
    public int ExitCode => _received == PosixSignal.SIGINT ? Cli.ExitCode.Interrupted : Cli.ExitCode.Terminated;

    /// <summary>Starts watching; dispose to give the signals back to the runtime.</summary>
    public static StopSignals Watch(CancellationToken cancellationToken) => new(cancellationToken);

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // The process does not end: the run stops at its next call, restores, and returns the status itself.
        context.Cancel = true;
        if (_received is null)
        {
            _received = context.Signal;
            _stop.Cancel();
        }
    }
}
