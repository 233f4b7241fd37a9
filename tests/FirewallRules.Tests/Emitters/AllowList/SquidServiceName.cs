namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// A service name of its own for each squid the tests start (<c>squid -n</c>). Squid names its shared memory segments after it
/// (<c>/dev/shm/NAME-cf__*.shm</c>, made even with <c>-N</c>), and <c>/dev/shm</c> is the same in every network namespace: two
/// squids of one name starting at once, in the fixtures that run beside each other, would each remove the other's segments and
/// one would exit. A killed squid leaves its segments behind; <see cref="RemoveSharedMemory"/> deletes them.
/// </summary>
internal static class SquidServiceName
{
    private static int _count;

    /// <summary>A name no other squid of this test run has: letters and digits, as squid wants.</summary>
    public static string Next() => $"fwr{Environment.ProcessId}x{Interlocked.Increment(ref _count)}";

    /// <summary>Deletes the shared memory segments of the squid named <paramref name="name"/>, once it has stopped.</summary>
    public static void RemoveSharedMemory(string name)
    {
        foreach (string segment in Directory.EnumerateFiles("/dev/shm", $"{name}-*.shm"))
        {
            File.Delete(segment);
        }
    }
}
