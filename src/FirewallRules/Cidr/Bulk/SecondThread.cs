using System.Globalization;
using System.Runtime.ExceptionServices;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// Runs work on a second thread beside the caller's, for the bulk path's steps that split in two (a file read in halves,
/// the halves' blocks, the text written). Nothing else in the library starts a thread.
/// </summary>
/// <remarks>
/// <para>
/// Whether a step gets the second thread is decided at each step from what the process can get (<see cref="IsFree"/>):
/// the processors it may run on (<see cref="Environment.ProcessorCount"/>: on Linux the CPUs of its affinity mask, from
/// <c>sched_getaffinity</c>, bounded by its cgroup's CPU quota) and how many threads the whole machine has runnable at
/// this instant (<c>procs_running</c>, the fourth field of <c>/proc/loadavg</c>, counting the caller). A step split in
/// halves waits for the slower half, and a half whose thread shares a core with a busy neighbour takes twice as long: with
/// every core the process may use already taken, one thread is faster than two. The one-minute load average would say so
/// a minute late; reading the file costs about ten microseconds. The count is the machine's, so a process confined to
/// some of many CPUs may decline a core that is free: it then runs as on one core, never slower.
/// </para>
/// <para>
/// The thread is started on first use and ends after <see cref="IdleTimeout"/> without work: the steps of one
/// aggregation share it (starting one costs a few hundred microseconds), and no thread outlives the work. Callers at
/// the same time each get a thread of their own; one idle thread is kept until it times out, any other ends at once.
/// </para>
/// <para>
/// The decision is taken before the work starts and can be wrong by the time it runs: the neighbour that was asleep
/// wakes, and the second thread waits for a core. So the work handed over is taken back when the caller has finished
/// its own part before the second thread has begun (<see cref="Run"/>): the caller then does both parts, one after
/// the other, as one thread would, and never waits on a thread that has not run. Once begun, a part is finished by the
/// thread that began it. Steps whose parts are many (the text written) hand them out one at a time instead, so the
/// thread that is running takes the next.
/// </para>
/// </remarks>
internal static class SecondThread
{
    /// <summary>How long the thread waits for its next piece of work before it ends.</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromMilliseconds(100);

    private const string LoadFile = "/proc/loadavg";

    private static Worker? _idle;

    /// <summary>
    /// Whether a second thread would run beside this one now: the process may use two processors or more, and fewer
    /// threads are runnable on the machine than that (this one included). Where the count cannot be read (not Linux),
    /// the processors alone decide.
    /// </summary>
    public static bool IsFree => IsFreeGiven(Environment.ProcessorCount, RunnableNow());

    /// <summary>The rule of <see cref="IsFree"/>, on given figures.</summary>
    internal static bool IsFreeGiven(int processors, int? runnable) => processors > 1 && (runnable is not int count || count < processors);

    /// <summary>How many threads the machine has runnable now (<c>procs_running</c>), or null when that cannot be read.</summary>
    internal static int? RunnableNow()
    {
        try
        {
            return File.Exists(LoadFile) ? ParseRunnable(File.ReadAllText(LoadFile)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The runnable count in the text of <c>/proc/loadavg</c> (<c>0.50 0.41 0.30 3/123 4567</c>: 3), or null.</summary>
    internal static int? ParseRunnable(string loadavg)
    {
        string[] fields = loadavg.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int slash = fields.Length > 3 ? fields[3].IndexOf('/', StringComparison.Ordinal) : -1;
        return slash > 0 && int.TryParse(fields[3].AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int count) ? count : null;
    }

    /// <summary>
    /// Runs <paramref name="beside"/> on the second thread while <paramref name="here"/> runs on this one, and returns when
    /// both are done; when <paramref name="here"/> ends before the second thread has begun <paramref name="beside"/>, this
    /// thread takes it back and runs it itself. A failure of <paramref name="here"/> is thrown as it is (the other's, if
    /// any, is dropped); otherwise a failure of <paramref name="beside"/> is rethrown here.
    /// </summary>
    public static void Run(Action beside, Action here)
    {
        Worker worker = Interlocked.Exchange(ref _idle, null) ?? Worker.Start();
        Exception? failure;
        bool hereEnded = false;
        worker.Post(beside);
        try
        {
            here();
            hereEnded = true;
        }
        finally
        {
            failure = hereEnded && worker.TakeBack() ? RunHere(beside) : worker.Wait();
            if (Interlocked.CompareExchange(ref _idle, worker, null) is not null)
            {
                worker.Post(null); // another thread is kept already: this one ends
            }
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Runs work taken back from the second thread on this one; returns its failure, if any, as the second thread would.</summary>
    private static Exception? RunHere(Action work)
    {
        try
        {
            work();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>A background thread that runs one piece of work at a time, until it is given none or waits too long.</summary>
    private sealed class Worker
    {
        private readonly object _gate = new();
        private Action? _work;
        private Exception? _failure;
        private bool _posted;
        private bool _done;

        public static Worker Start()
        {
            var worker = new Worker();
            new Thread(worker.Loop) { IsBackground = true, Name = "FirewallRules second thread" }.Start();
            return worker;
        }

        /// <summary>Hands the thread its next piece of work; null ends the thread.</summary>
        public void Post(Action? work)
        {
            lock (_gate)
            {
                (_work, _failure, _posted, _done) = (work, null, true, false);
                Monitor.Pulse(_gate);
            }
        }

        /// <summary>Takes back the work posted last if the thread has not begun it (it then waits for the next); false once begun.</summary>
        public bool TakeBack()
        {
            lock (_gate)
            {
                if (!_posted || _work is null)
                {
                    return false;
                }

                (_work, _posted, _done) = (null, false, true);
                return true;
            }
        }

        /// <summary>Waits for the work posted last to end; returns its failure, if any.</summary>
        public Exception? Wait()
        {
            lock (_gate)
            {
                while (!_done)
                {
                    Monitor.Wait(_gate);
                }

                return _failure;
            }
        }

        private void Loop()
        {
            while (NextWork() is Action work)
            {
                Exception? failure = null;
                try
                {
                    work();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                lock (_gate)
                {
                    (_failure, _done) = (failure, true);
                    Monitor.Pulse(_gate);
                }
            }
        }

        /// <summary>
        /// Waits for the next piece of work; null to end: when posted none, or when idle for <see cref="IdleTimeout"/> while
        /// still the kept thread (taking itself out of <see cref="_idle"/> first, so that no caller takes it afterwards).
        /// </summary>
        private Action? NextWork()
        {
            lock (_gate)
            {
                while (!_posted)
                {
                    if (!Monitor.Wait(_gate, IdleTimeout) && !_posted && Interlocked.CompareExchange(ref _idle, null, this) == this)
                    {
                        return null;
                    }
                }

                _posted = false;
                return _work;
            }
        }
    }
}
