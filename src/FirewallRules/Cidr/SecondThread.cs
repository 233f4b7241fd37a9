using System.Runtime.ExceptionServices;

namespace FirewallRules.Cidr;

/// <summary>
/// Runs work on a second thread beside the caller's, for the engine's steps that split in two (a file read in halves,
/// the halves' blocks, the text written). The thread is started on first use and kept, waiting, for the next step:
/// starting one costs a few hundred microseconds, and aggregating a million lines takes three such steps.
/// Callers at the same time each get a thread of their own; one idle thread is kept, any other ends.
/// </summary>
internal static class SecondThread
{
    private static Worker? _idle;

    /// <summary>
    /// Runs <paramref name="beside"/> on the second thread while <paramref name="here"/> runs on this one, and returns when
    /// both are done. A failure of <paramref name="here"/> is thrown as it is (the other's, if any, is dropped); otherwise
    /// a failure of <paramref name="beside"/> is rethrown here.
    /// </summary>
    public static void Run(Action beside, Action here)
    {
        Worker worker = Interlocked.Exchange(ref _idle, null) ?? Worker.Start();
        Exception? failure;
        worker.Post(beside);
        try
        {
            here();
        }
        finally
        {
            failure = worker.Wait();
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

    /// <summary>A background thread that runs one piece of work at a time, until it is given none.</summary>
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
            while (true)
            {
                Action? work;
                lock (_gate)
                {
                    while (!_posted)
                    {
                        Monitor.Wait(_gate);
                    }

                    (work, _posted) = (_work, false);
                }

                if (work is null)
                {
                    return;
                }

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
    }
}
