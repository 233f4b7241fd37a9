namespace FirewallRules.Benchmarks.Data;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its seed on every runtime and machine,
/// unlike <see cref="Random"/>, whose algorithm is an implementation detail.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, bound); the tiny modulo bias does not matter for test data.</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);
}
