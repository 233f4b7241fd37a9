using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// The bulk path's second thread: work runs beside the caller, failures come back, the thread ends when idle, and it is
/// used only when the process can get a second core.
/// </summary>
[TestFixture]
public class SecondThreadTests
{
    [Test]
    public void Run_BothSides_RunOnTwoThreadsAndTheSecondEndsWhenIdle()
    {
        int caller = Environment.CurrentManagedThreadId, beside = 0;
        Thread? thread = null;
        bool background = false; // read on the thread itself: once idle it ends, and a dead thread's state cannot be read
        using var begun = new ManualResetEventSlim();
        // The caller waits for the other side to begin: work not begun when the caller's ends is taken back by the caller.
        SecondThread.Run(
            () => { (beside, thread, background) = (Environment.CurrentManagedThreadId, Thread.CurrentThread, Thread.CurrentThread.IsBackground); begun.Set(); },
            () => Assert.That(begun.Wait(TimeSpan.FromMinutes(1)), Is.True));

        Assert.That(beside, Is.Not.EqualTo(caller));
        Assert.That(background, Is.True);
        // Not a timing assertion: the thread ends after SecondThread.IdleTimeout without work; the bound only stops a hang.
        Assert.That(thread!.Join(TimeSpan.FromMinutes(1)), Is.True, "no thread is kept alive once the work is done");
    }

    [TestCase(1, null, false)]
    [TestCase(1, 1, false)]
    [TestCase(2, null, true)]
    [TestCase(2, 1, true)]
    [TestCase(2, 2, false)]
    [TestCase(2, 40, false)]
    [TestCase(4, 3, true)]
    [TestCase(4, 4, false)]
    public void IsFree_TakesTheSecondThreadOnlyWhenACoreIsLeft(int processors, int? runnable, bool expected)
    {
        // runnable counts the caller: with as many threads runnable as the process has processors, no core is left.
        Assert.That(SecondThread.IsFreeGiven(processors, runnable), Is.EqualTo(expected));
    }

    [TestCase("0.50 0.41 0.30 3/123 4567\n", 3)]
    [TestCase("20.21 6.25 4.12 41/471 31088", 41)]
    [TestCase("0.00 0.00 0.00", null)]
    [TestCase("0.00 0.00 0.00 x/12 1", null)]
    [TestCase("", null)]
    public void ParseRunnable_ReadsTheFourthFieldOfLoadavg(string text, int? expected)
    {
        Assert.That(SecondThread.ParseRunnable(text), Is.EqualTo(expected));
    }

    [Test]
    public void RunnableNow_OnLinux_CountsAtLeastTheCaller()
    {
        Assume.That(OperatingSystem.IsLinux(), Is.True);
        Assert.That(SecondThread.RunnableNow(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void Run_TheSecondThreadFails_ItsExceptionIsThrownAfterTheCallersWorkEnds()
    {
        bool callerFinished = false;
        Assert.That(
            () => SecondThread.Run(() => throw new InvalidOperationException("beside"), () => { Thread.Sleep(20); callerFinished = true; }),
            Throws.InvalidOperationException.With.Message.EqualTo("beside"));
        Assert.That(callerFinished, Is.True);

        int ran = 0;
        SecondThread.Run(() => ran++, () => { });
        Assert.That(ran, Is.EqualTo(1), "work runs after a failure");
    }

    [Test]
    public void Run_BothFail_TheCallersExceptionWinsAndTheOtherHasEnded()
    {
        bool besideEnded = false;
        Assert.That(
            () => SecondThread.Run(() => { Thread.Sleep(20); besideEnded = true; throw new InvalidOperationException("beside"); }, () => throw new ArgumentException("here")),
            Throws.ArgumentException.With.Message.EqualTo("here"));
        Assert.That(besideEnded, Is.True);
    }

    [Test]
    public void Run_TheCallersSideEndsAtOnce_TheOtherRunsExactlyOnceOnWhicheverThreadBeginsIt()
    {
        // Whether the second thread has begun when the caller's side ends is up to the scheduler: either way the work
        // runs once, on the second thread or taken back by the caller, and never on both or neither.
        int caller = Environment.CurrentManagedThreadId, ranHere = 0, ranBeside = 0;
        for (int i = 0; i < 500; i++)
        {
            int runs = 0;
            SecondThread.Run(
                () =>
                {
                    Interlocked.Increment(ref runs);
                    _ = Environment.CurrentManagedThreadId == caller ? ranHere++ : ranBeside++;
                },
                () => { });
            Assert.That(runs, Is.EqualTo(1), $"call {i}");
        }

        Assert.That(ranHere + ranBeside, Is.EqualTo(500));
    }

    [Test]
    public void Run_TakenBackWorkFails_ItsExceptionIsThrownAsTheSecondThreads()
    {
        for (int i = 0; i < 50; i++)
        {
            Assert.That(() => SecondThread.Run(() => throw new InvalidOperationException("beside"), () => { }),
                Throws.InvalidOperationException.With.Message.EqualTo("beside"));
        }
    }

    [Test]
    public void Run_CalledFromManyThreadsAtOnce_EveryCallRunsBothSides()
    {
        int besides = 0, heres = 0;
        Parallel.For(0, 64, _ => SecondThread.Run(() => Interlocked.Increment(ref besides), () => Interlocked.Increment(ref heres)));
        Assert.That((besides, heres), Is.EqualTo((64, 64)));
    }
}
