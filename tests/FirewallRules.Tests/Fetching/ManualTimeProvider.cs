namespace FirewallRules.Tests.Fetching;

/// <summary>
/// A clock that moves only when told, so retry waits and timeouts cost no real time. Timers fire on the
/// thread that advances the clock, in due order.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by) => AdvanceTo(GetUtcNow() + by);

    public void AdvanceTo(DateTimeOffset target)
    {
        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (due is null)
                {
                    _now = target;
                    return;
                }

                _now = due.Due > _now ? due.Due : _now;
                _timers.Remove(due);
                if (due.Period > TimeSpan.Zero && due.Period != Timeout.InfiniteTimeSpan)
                {
                    due.Due = _now + due.Period;
                    _timers.Add(due);
                }
            }

            due.Fire();
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/>, moving the clock to each timer due within <paramref name="maxStep"/> of now
    /// (retry waits), and never further, so a longer timeout fires only when a test advances past it.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan maxStep)
    {
        while (!task.IsCompleted)
        {
            DateTimeOffset? next;
            lock (_gate)
            {
                next = _timers.Count == 0 ? null : _timers.Min(t => t.Due);
            }

            if (next is { } due && due - GetUtcNow() <= maxStep)
            {
                AdvanceTo(due);
            }
            else
            {
                // Real I/O is under way: give it a moment.
                await Task.WhenAny(task, Task.Delay(2));
            }
        }

        return await task;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                Period = period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Due = owner._now + dueTime;
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
