using System.Runtime.InteropServices;

namespace FirewallRules.Cli;

/// <summary>
/// SIGTERM and SIGINT turned into a cancellation a run honours between its calls, instead of the process ending at once:
/// what systemd's stop, <c>TimeoutStartSec=</c> and Ctrl+C send. The run then puts back what it changed part-way and
/// reports the stop in one line, with the shell's status for the signal (143 for SIGTERM, 130 for SIGINT).
/// </summary>
/// <remarks>
/// <para>A second signal changes nothing: the run is already stopping; SIGKILL (kill -9) is the way to end it at once.</para>
/// <para>
/// A <c>sync</c> process installs its handlers first thing (<see cref="InstallFor"/>) and keeps them until it exits: a
/// stop while the command line is parsed is seen by the run, which stops before its first step and says so, and a stop
/// after the run finished changes nothing (the process is ending with the status its line explains). Only a stop before
/// the runtime has started the program's first line ends the process as the runtime's default does: status 143 or 130
/// and no line (0.2 s into the start at load 47 on 2 cores, against up to 1.7 s when the handlers came as the run began).
/// </para>
/// </remarks>
internal sealed class StopSignals : IDisposable
{
    private static StopSignals? _processWide;

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly StopSignals? _process;
    private PosixSignal? _received;

    private StopSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle)];
    }

    /// <summary>A run's view of the process's handlers: cancelled by their signal or by <paramref name="cancellationToken"/>.</summary>
    private StopSignals(StopSignals process, CancellationToken cancellationToken)
    {
        _process = process;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(process._stop.Token, cancellationToken);
        _registrations = [];
    }

    /// <summary>Cancelled by the first SIGTERM or SIGINT (or by the token given).</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Received => Signal is not null;

    /// <summary>The signal's name, e.g. <c>SIGTERM</c>.</summary>
    public string Name => Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";

    /// <summary>The status a shell gives a process the signal ended: 128 and its number.</summary>
    public int ExitCode => Signal == PosixSignal.SIGINT ? Cli.ExitCode.Interrupted : Cli.ExitCode.Terminated;

    private PosixSignal? Signal => _process is null ? _received : _process._received;

    /// <summary>
    /// Installs the process's handlers when <paramref name="args"/> run <c>sync</c> (its verb is the first word that is not
    /// an option: the root's only option, <c>--quiet</c>, takes no value); the program's first call. They are never removed.
    /// </summary>
    public static void InstallFor(IReadOnlyList<string> args)
    {
        if (args.FirstOrDefault(arg => !arg.StartsWith('-')) == "sync" && _processWide is null && !OperatingSystem.IsWindows())
        {
            _processWide = new StopSignals(CancellationToken.None);
        }
    }

    /// <summary>Starts watching: through the process's handlers when installed, else its own; dispose to give them back.</summary>
    public static StopSignals Watch(CancellationToken cancellationToken) =>
        _processWide is { } process ? new StopSignals(process, cancellationToken) : new StopSignals(cancellationToken);

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
