using System.Numerics;
using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr.Bulk;

/// <summary>
/// Writes blocks as text, one per line, to a stream (<see cref="PrefixSet.WriteTo(Stream)"/>). A long list is formatted on
/// two threads: it is cut into segments of <see cref="SegmentBlocks"/>, each thread takes the next segment not taken yet
/// and formats it into a buffer of its own, and each segment is written when the one before it has been, so the stream
/// gets exactly the bytes one thread would write, in the same order. A thread that is late (its core busy with another
/// process) takes fewer segments, none if it never runs: the other waits for it only on a segment it has begun.
/// Formatting is most of writing (the IPv6 text above all); the writes themselves stay one at a time.
/// </summary>
internal sealed class BlockTextWriter
{
    /// <summary>The smallest list formatted on two threads (65,536 prefixes): below it a second thread saves too little.</summary>
    internal const int DefaultMinimumParallelBlocks = 1 << 16;

    /// <summary>Blocks per segment: at most 800 KiB of text, in a buffer per thread.</summary>
    private const int SegmentBlocks = 1 << 14;

    private readonly CidrBlock<uint>[] _v4;
    private readonly ArraySegment<CidrBlock<UInt128>> _v6;
    private readonly Stream _stream;
    private readonly object _turn = new();
    private int _written;
    private int _taken;
    private bool _failed;

    private BlockTextWriter(CidrBlock<uint>[] v4, ArraySegment<CidrBlock<UInt128>> v6, Stream stream) => (_v4, _v6, _stream) = (v4, v6, stream);

    /// <summary>
    /// Writes the IPv4 blocks, then the IPv6 ones, each followed by <c>\n</c>; a long list on two threads when a second is
    /// free (<see cref="SecondThread.IsFree"/>).
    /// </summary>
    public static void Write(CidrBlock<uint>[] v4, ArraySegment<CidrBlock<UInt128>> v6, Stream stream) =>
        Write(v4, v6, stream,
            v4.Length + v6.Count >= DefaultMinimumParallelBlocks && SecondThread.IsFree ? DefaultMinimumParallelBlocks : int.MaxValue);

    /// <summary>
    /// As <see cref="Write(CidrBlock{uint}[], ArraySegment{CidrBlock{UInt128}}, Stream)"/>, on two threads from <paramref name="minimumParallelBlocks"/> blocks
    /// (tests lower it).
    /// </summary>
    internal static void Write(CidrBlock<uint>[] v4, ArraySegment<CidrBlock<UInt128>> v6, Stream stream, int minimumParallelBlocks)
    {
        var writer = new BlockTextWriter(v4, v6, stream);
        int segments = (v4.Length + v6.Count + SegmentBlocks - 1) / SegmentBlocks;
        if (v4.Length + v6.Count < minimumParallelBlocks || segments < 2)
        {
            writer.WriteSegments(segments);
            return;
        }

        SecondThread.Run(() => writer.WriteSegmentsOrFail(segments), () => writer.WriteSegmentsOrFail(segments));
    }

    /// <summary>Writes the segments this thread takes; on a failure, lets the other thread know before it is thrown.</summary>
    private void WriteSegmentsOrFail(int segments)
    {
        try
        {
            WriteSegments(segments);
        }
        catch
        {
            Fail();
            throw;
        }
    }

    /// <summary>Takes the next segment not taken yet, formats it and writes it in its turn, until none is left.</summary>
    private void WriteSegments(int segments)
    {
        byte[]? buffer = null; // taken when this thread takes a segment: a thread that comes too late takes none
        for (int segment; (segment = Interlocked.Increment(ref _taken) - 1) < segments;)
        {
            // Each line is at most MaxPrefixLength + 1 bytes; the last one's stores may reach a few bytes past its end.
            buffer ??= new byte[(Math.Min(SegmentBlocks, _v4.Length + _v6.Count) * (AddressText.MaxPrefixLength + 1)) + AddressText.MaxLineWrite];
            int start = segment * SegmentBlocks, end = Math.Min(start + SegmentBlocks, _v4.Length + _v6.Count);
            int used = 0;
            // An absent family is skipped rather than formatted as nothing, which would still compile its writer.
            if (start < _v4.Length)
            {
                used = Format<uint>(_v4.AsSpan(start, Math.Min(end, _v4.Length) - start), buffer, used);
            }

            if (end > _v4.Length)
            {
                int from = Math.Max(start, _v4.Length) - _v4.Length;
                used = Format<UInt128>(_v6.AsSpan(from, end - _v4.Length - from), buffer, used);
            }

            if (!AwaitTurn(segment))
            {
                return; // the other thread failed: its exception is the one reported
            }

            _stream.Write(buffer, 0, used);
            lock (_turn)
            {
                _written = segment + 1;
                Monitor.PulseAll(_turn);
            }
        }
    }

    /// <summary>Waits until every segment before <paramref name="segment"/> is written; false when the other thread failed.</summary>
    private bool AwaitTurn(int segment)
    {
        lock (_turn)
        {
            while (_written != segment && !_failed)
            {
                Monitor.Wait(_turn);
            }

            return !_failed;
        }
    }

    private void Fail()
    {
        lock (_turn)
        {
            _failed = true;
            Monitor.PulseAll(_turn);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Format<T>(ReadOnlySpan<CidrBlock<T>> blocks, byte[] buffer, int used)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        foreach (CidrBlock<T> block in blocks)
        {
            used += AddressText.FormatLine(block, buffer.AsSpan(used));
        }

        return used;
    }
}
