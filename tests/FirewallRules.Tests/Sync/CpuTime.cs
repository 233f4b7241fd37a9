using System.Globalization;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// The processor time a process has used (user and system, all its threads, from <c>/proc/PID/stat</c>): a point in its
/// run that a loaded machine does not move, unlike a delay on the clock.
/// </summary>
internal static class CpuTime
{
    /// <summary>The processor time <paramref name="pid"/> has used, or null once it has exited.</summary>
    public static TimeSpan? Of(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime, fields 14 and 15 of the line (11 and 12 after the command's name), in clock ticks of 1/100 s.
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="pid"/> has used <paramref name="time"/> (or exited, or two minutes passed) and returns what it used.</summary>
    public static async Task<TimeSpan> WaitAsync(int pid, TimeSpan time)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        TimeSpan used = TimeSpan.Zero;
        while (DateTime.UtcNow < deadline && Of(pid) is { } now)
        {
            used = now;
            if (used >= time)
            {
                break;
            }

            await Task.Delay(5);
        }

        return used;
    }
}
