using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

/// <summary>The engine's second thread: work runs beside the caller, failures come back, the thread is reused.</summary>
[TestFixture]
[NonParallelizable] // the kept thread is the process's: another fixture's two-thread step between two calls here takes it
public class SecondThreadTests
{
    [Test]
    public void Run_BothSides_RunOnTwoThreadsAndTheSecondIsKeptForTheNextCall()
    {
        int caller = Environment.CurrentManagedThreadId, first = 0, second = 0;
        SecondThread.Run(() => first = Environment.CurrentManagedThreadId, () => { });
        SecondThread.Run(() => second = Environment.CurrentManagedThreadId, () => { });

        Assert.That(first, Is.Not.EqualTo(caller));
        Assert.That(second, Is.EqualTo(first), "the second call reuses the thread the first started");
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
        Assert.That(ran, Is.EqualTo(1), "the thread goes on after a failure");
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
    public void Run_CalledFromManyThreadsAtOnce_EveryCallRunsBothSides()
    {
        int besides = 0, heres = 0;
        Parallel.For(0, 64, _ => SecondThread.Run(() => Interlocked.Increment(ref besides), () => Interlocked.Increment(ref heres)));
        Assert.That((besides, heres), Is.EqualTo((64, 64)));
    }
}
