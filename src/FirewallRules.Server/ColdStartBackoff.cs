namespace FirewallRules.Server;

/// <summary>
/// The waits between the first fetches of a site the mirror has nothing to serve for: 1 s, then twice as
/// long each time up to <see cref="Longest"/> (and never longer than the refresh interval), each drawn at
/// random from the upper half of that bound, so that mirrors restarted together after an outage do not
/// fetch in step.
/// </summary>
internal sealed class ColdStartBackoff(TimeSpan refresh, Random random)
{
    /// <summary>The longest wait between two attempts of a cold start.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    private TimeSpan _bound = First;

    /// <summary>The wait before the next attempt; each call is one attempt further.</summary>
    public TimeSpan Next()
    {
        TimeSpan bound = _bound < refresh ? _bound : refresh;
        _bound = _bound * 2 < Longest ? _bound * 2 : Longest;
        return bound / 2 + bound / 2 * random.NextDouble();
    }
}
