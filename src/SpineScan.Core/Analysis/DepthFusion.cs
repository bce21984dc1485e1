using System.Buffers;
using System.Numerics;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;


/// <summary>
/// Fuses a burst of depth frames into one: per pixel, the mean of the measured values after dropping
/// the lowest and highest when four or more are present (which removes flying pixels and noise spikes
/// at O(N) cost, where a true median would sort). A pixel measured in fewer than half the frames
/// stays empty: it lies on an edge or a dropout and would only add noise.
/// </summary>
public static class DepthFusion
{
    /// <summary>Most frames one fusion takes (the per-pixel counters are 16-bit).</summary>
    public const int MaxFrames = 4096;

    /// <summary>Fuses <paramref name="frames"/> into <paramref name="fused"/> (same size).</summary>
    /// <returns>The number of pixels the fused frame holds a measurement for.</returns>
    public static int Fuse(IReadOnlyList<DepthFrame> frames, DepthFrame fused)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(fused);
        if (frames.Count == 0)
        {
            throw new ArgumentException("At least one frame is needed.", nameof(frames));
        }

        var width = fused.Width;
        var height = fused.Height;
        foreach (var frame in frames)
        {
            if (frame.Width != width || frame.Height != height)
            {
                throw new ArgumentException($"Frame of {frame.Width}x{frame.Height} cannot be fused into {width}x{height}.", nameof(frames));
            }
        }

        var count = frames.Count;
        if (count > MaxFrames)
        {
            throw new ArgumentException($"At most {MaxFrames} frames can be fused.", nameof(frames));
        }

        var minimumValid = Math.Max(1, (count + 1) / 2);
        var fusedValid = 0;

        // Frame-major over one row at a time: each frame's row is a contiguous span, the accumulators stay in cache.
        var sums = ArrayPool<uint>.Shared.Rent(width);
        var valids = ArrayPool<ushort>.Shared.Rent(width);
        var mins = ArrayPool<ushort>.Shared.Rent(width);
        var maxs = ArrayPool<ushort>.Shared.Rent(width);
        try
        {
            for (var y = 0; y < height; y++)
            {
                var sumRow = sums.AsSpan(0, width);
                var validRow = valids.AsSpan(0, width);
                var minRow = mins.AsSpan(0, width);
                var maxRow = maxs.AsSpan(0, width);
                sumRow.Clear();
                validRow.Clear();
                minRow.Fill(ushort.MaxValue);
                maxRow.Clear();
                for (var f = 0; f < count; f++)
                {
                    Accumulate(frames[f].Row(y), sumRow, validRow, minRow, maxRow);
                }

                fusedValid += Finish(sumRow, validRow, minRow, maxRow, minimumValid, fused.Row(y));
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(sums);
            ArrayPool<ushort>.Shared.Return(valids);
            ArrayPool<ushort>.Shared.Return(mins);
            ArrayPool<ushort>.Shared.Return(maxs);
        }

        return fusedValid;
    }

    /// <summary>
    /// Adds one frame row to the per-pixel accumulators: sum and count of measured values, and their minimum and
    /// maximum. SIMD over <see cref="Vector{T}"/> lanes, with <see cref="AccumulateScalar"/> for the tail (and as the
    /// reference the tests compare it with).
    /// </summary>
    internal static void Accumulate(ReadOnlySpan<ushort> row, Span<uint> sums, Span<ushort> valids, Span<ushort> mins, Span<ushort> maxs)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<ushort>.Count)
        {
            var lanes = Vector<ushort>.Count;
            var half = Vector<uint>.Count;
            var one = Vector<ushort>.One;
            for (; x <= row.Length - lanes; x += lanes)
            {
                var value = new Vector<ushort>(row[x..]);
                var missing = Vector.Equals(value, Vector<ushort>.Zero); // all ones where nothing was measured
                (new Vector<ushort>(valids[x..]) + Vector.AndNot(one, missing)).CopyTo(valids[x..]);
                Vector.Min(new Vector<ushort>(mins[x..]), value | missing).CopyTo(mins[x..]);
                Vector.Max(new Vector<ushort>(maxs[x..]), value).CopyTo(maxs[x..]);
                Vector.Widen(value, out var low, out var high);
                (new Vector<uint>(sums[x..]) + low).CopyTo(sums[x..]);
                (new Vector<uint>(sums[(x + half)..]) + high).CopyTo(sums[(x + half)..]);
            }
        }

        AccumulateScalar(row[x..], sums[x..], valids[x..], mins[x..], maxs[x..]);
    }

    /// <summary>The scalar twin of <see cref="Accumulate"/>.</summary>
    internal static void AccumulateScalar(ReadOnlySpan<ushort> row, Span<uint> sums, Span<ushort> valids, Span<ushort> mins, Span<ushort> maxs)
    {
        for (var x = 0; x < row.Length; x++)
        {
            var value = row[x];
            if (value == DepthFrame.NoMeasurement)
            {
                continue;
            }

            sums[x] += value;
            valids[x]++;
            if (value < mins[x])
            {
                mins[x] = value;
            }

            if (value > maxs[x])
            {
                maxs[x] = value;
            }
        }
    }

    // Trimmed mean per pixel (drop the extremes from four values on); empty where fewer than half the frames measured.
    private static int Finish(ReadOnlySpan<uint> sums, ReadOnlySpan<ushort> valids, ReadOnlySpan<ushort> mins, ReadOnlySpan<ushort> maxs, int minimumValid, Span<ushort> output)
    {
        var fused = 0;
        for (var x = 0; x < output.Length; x++)
        {
            int valid = valids[x];
            if (valid < minimumValid)
            {
                output[x] = DepthFrame.NoMeasurement;
                continue;
            }

            var sum = sums[x];
            if (valid >= 4)
            {
                sum -= (uint)(mins[x] + maxs[x]);
                valid -= 2;
            }

            output[x] = (ushort)((sum + (uint)(valid / 2)) / (uint)valid);
            fused++;
        }

        return fused;
    }

    /// <summary>Mean |a - b| in millimetres over pixels measured in both frames; 0 when none are.</summary>
    public static double MeanAbsoluteDifferenceMm(DepthFrame a, DepthFrame b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        long sum = 0;
        long pixels = 0;
        for (var y = 0; y < a.Height; y++)
        {
            var rowA = a.Row(y);
            var rowB = b.Row(y);
            for (var x = 0; x < rowA.Length; x++)
            {
                int va = rowA[x], vb = rowB[x];
                if (va == DepthFrame.NoMeasurement || vb == DepthFrame.NoMeasurement)
                {
                    continue;
                }

                sum += Math.Abs(va - vb);
                pixels++;
            }
        }

        return pixels == 0 ? 0 : sum * a.DepthScaleMm / pixels;
    }
}
