using System.Runtime.InteropServices;
using FirewallRules.IO;

namespace FirewallRules.Cli;

/// <summary>
/// SIGTERM and SIGINT, for every verb but <c>serve</c> (whose host stops itself, finishing the requests in flight), turned
/// into one way of stopping: a cancellation the run honours between its calls (a fetch, a wait, a step of a sync), then one
/// line on stderr (<c>fwrules: generate: stopped by SIGTERM</c>) and the shell's status for the signal (143 for SIGTERM,
/// 130 for SIGINT). An output file is written whole or not at all: a stop before its rename leaves none, nor a temporary
/// file.
/// </summary>
/// <remarks>
/// <para>A second signal changes nothing: the run is already stopping; SIGKILL (kill -9) is the way to end it at once.</para>
/// <para>
/// The process installs its handlers first thing (<see cref="InstallFor"/>) and keeps them until it exits: a stop while the
/// command line is parsed is seen by the run, which stops before its first step and says so, and a stop after the run
/// finished changes nothing (the process is ending with the status its line explains). Only a stop before the runtime has
/// started the program's first line ends the process as the runtime's default does: status 143 or 130 and no line (0.2 s
/// into the start at load 47 on 2 cores, against up to 1.7 s when the handlers came as the run began).
/// </para>
/// <para>
/// A run that changes nothing outside its output (every verb but <c>sync</c>) may be waiting where no cancellation reaches:
/// opening a FIFO nobody reads, reading standard input that never ends, writing to a pipe nobody empties. When it has not
/// ended <see cref="ForcedAfter"/> after the signal, the process says the same line, removes the temporary files it is
/// writing, and exits with the same status. A <c>sync</c> is never ended so: it puts back what it changed part-way first.
/// </para>
/// </remarks>
internal sealed class StopSignals : IDisposable
{
    /// <summary>How long a run that changes nothing outside its output has to stop by itself before the process ends it.</summary>
    private static readonly TimeSpan ForcedAfter = TimeSpan.FromSeconds(2);

    private static readonly Lock Ending = new();

    private static StopSignals? _processWide;

    // Set once the run reports its own end (its last line): a forced end then stays away; and the other way round.
    private static bool _runEnded, _forced;

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly StopSignals? _process;
    private readonly string? _forcedVerb;
    private PosixSignal? _received;
    private Timer? _forcedEnd;

    private StopSignals(string? forcedVerb, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _forcedVerb = forcedVerb;
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

    /// <summary>The process's handlers, when <see cref="InstallFor"/> installed them.</summary>
    public static StopSignals? Process => _processWide;

    private PosixSignal? Signal => _process is null ? _received : _process._received;

    /// <summary>
    /// Installs the process's handlers unless <paramref name="args"/> run <c>serve</c> (the verb is the first word that is
    /// not an option: the root's only option, <c>--quiet</c>, takes no value); the program's first call. They are never removed.
    /// </summary>
    public static void InstallFor(IReadOnlyList<string> args)
    {
        string? verb = args.FirstOrDefault(arg => !arg.StartsWith('-'));
        if (verb != Commands.ServeCommand.Name && _processWide is null && !OperatingSystem.IsWindows())
        {
            _processWide = new StopSignals(verb == Commands.SyncCommand.Name ? null : verb ?? string.Empty, CancellationToken.None);
        }
    }

    /// <summary>Starts watching: through the process's handlers when installed, else its own; dispose to give them back.</summary>
    public static StopSignals Watch(CancellationToken cancellationToken) =>
        _processWide is { } process ? new StopSignals(process, cancellationToken) : new StopSignals(forcedVerb: null, cancellationToken);

    /// <summary>Before an output file takes its place: a run stopped by then writes none.</summary>
    /// <exception cref="OperationCanceledException">A signal arrived.</exception>
    public static void ThrowIfStopped() => _processWide?.Token.ThrowIfCancellationRequested();

    /// <summary>Whether <paramref name="failure"/> is a run's own line about a stop (sync's, which says what it put back), with the signal's status.</summary>
    public static bool Says(Exception failure) => failure is CliException { ExitCode: Cli.ExitCode.Interrupted or Cli.ExitCode.Terminated };

    /// <summary>Says that <paramref name="verb"/> stopped for the signal, in one line, and returns its status.</summary>
    public int Report(CliConsole console, string verb)
    {
        EndRun();
        console.WriteError(Line(verb));
        return ExitCode;
    }

    /// <summary>
    /// The run is writing its last line (or has): a forced end stays away from here on. When one has begun, this thread
    /// waits for it, so the process never says two things.
    /// </summary>
    public static void EndRun()
    {
        lock (Ending)
        {
            _runEnded = true;
            if (!_forced)
            {
                return;
            }
        }

        Thread.Sleep(Timeout.Infinite);
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _forcedEnd?.Dispose();
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
            if (_forcedVerb is not null)
            {
                _forcedEnd = new Timer(_ => EndForced(), null, ForcedAfter, Timeout.InfiniteTimeSpan);
            }
        }
    }

    // The run did not stop by itself: it waits where no cancellation reaches. Its temporary files go, its targets stay.
    private void EndForced()
    {
        lock (Ending)
        {
            if (_runEnded)
            {
                return;
            }

            _forced = true;
        }

        FileReplacement.RemoveUnfinished();
        CliConsole.System.WriteError(Line(_forcedVerb!));
        Environment.Exit(ExitCode);
    }

    private string Line(string verb) => verb.Length == 0 ? $"fwrules: stopped by {Name}" : $"fwrules: {verb}: stopped by {Name}";
}
