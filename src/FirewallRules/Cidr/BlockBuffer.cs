using System.Numerics;
using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>
/// The blocks one reader has read, in an array of its own or in its part of an array two readers share
/// (<see cref="SharedBlocks{T}"/>): the reader of a file's first half fills its part downward from the middle, the
/// second half's reader upward from it, so the blocks of both are one run, sorted and collapsed where they lie.
/// A reader whose part fills up moves its blocks to an array of its own, twice as long.
/// </summary>
internal sealed class BlockBuffer<T>(int capacityHint)
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private CidrBlock<T>[] _array = [];
    private SharedBlocks<T>? _shared;
    private bool _downward;
    private int _origin; // the first place filled (upward), or the one after it (downward)
    private int _next;
    private int _step = 1;
    private int _limit; // the place past the last one this buffer may fill

    /// <summary>How many blocks were added.</summary>
    public int Count { get; private set; }

    /// <summary>The blocks added, in the order added (downward: the last added first).</summary>
    public ArraySegment<CidrBlock<T>> Blocks => new(_array, _downward ? _origin - Count : _origin, Count);

    /// <summary>Fills <paramref name="shared"/> from its middle, downward or upward, once a block comes.</summary>
    public void Share(SharedBlocks<T> shared, bool downward) => (_shared, _downward) = (shared, downward);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(CidrBlock<T> block)
    {
        if (_next == _limit)
        {
            Grow();
        }

        _array[_next] = block;
        _next += _step;
        Count++;
    }

    /// <summary>Lets the array go.</summary>
    public void Clear() => (_array, _shared, _downward, _origin, _next, _step, _limit, Count) = ([], null, false, 0, 0, 1, 0, 0);

    // A buffer's first block takes its part of the shared array, or an array as long as the hint (memory that the hint
    // over-estimates is never touched); a full one moves to an array of its own, twice as long.
    private void Grow()
    {
        if (Count == 0 && _shared is { } shared && (_downward ? shared.Middle : shared.Length - shared.Middle) > 0)
        {
            _array = shared.Array;
            _origin = shared.Middle;
            (_next, _step, _limit) = _downward ? (_origin - 1, -1, -1) : (_origin, 1, _array.Length);
            return;
        }

        CidrBlock<T>[] grown = GC.AllocateUninitializedArray<CidrBlock<T>>(Count == 0 ? Math.Max(16, capacityHint) : Count * 2);
        Blocks.AsSpan().CopyTo(grown);
        (_array, _shared, _downward, _origin, _next, _step, _limit) = (grown, null, false, 0, Count, 1, grown.Length);
    }
}

/// <summary>One array for the blocks of two readers (<see cref="BlockBuffer{T}"/>), made when the first of them needs it.</summary>
internal sealed class SharedBlocks<T>(int below, int above)
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private CidrBlock<T>[]? _array;

    /// <summary>Where the two parts meet: the first reader fills the places below it, the second this one and those above.</summary>
    public int Middle => below;

    public int Length => below + above;

    public CidrBlock<T>[] Array => LazyInitializer.EnsureInitialized(ref _array, () => GC.AllocateUninitializedArray<CidrBlock<T>>(below + above));
}
