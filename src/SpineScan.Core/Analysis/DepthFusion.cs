using System.Buffers;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Analysis;

/// <summary>How much the frames of a burst disagree, i.e. whether the child moved.</summary>
/// <param name="FrameDeviationMm">Per frame: the mean absolute difference to the fused depth over pixels both measured, in millimetres.</param>
/// <param name="WorstFrameDeviationMm">The largest of <paramref name="FrameDeviationMm"/>.</param>
public readonly record struct FusionStatistics(double[] FrameDeviationMm, double WorstFrameDeviationMm, int FusedValidPixels);

/// <summary>
/// Fuses a burst of depth frames into one: per pixel, the mean of the measured values after dropping
/// the lowest and highest when four or more are present (which removes flying pixels and noise spikes
/// at O(N) cost, where a true median would sort). A pixel measured in fewer than half the frames
/// stays empty: it lies on an edge or a dropout and would only add noise.
/// </summary>
public static class DepthFusion
{
    /// <summary>Fuses <paramref name="frames"/> into <paramref name="fused"/> (same size) and reports inter-frame deviation.</summary>
    public static FusionStatistics Fuse(IReadOnlyList<DepthFrame> frames, DepthFrame fused)
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
        var minimumValid = Math.Max(1, (count + 1) / 2);
        var fusedValid = 0;

        // Frame-major over one row at a time: each frame's row is a contiguous span, the accumulators stay in cache.
        var sums = ArrayPool<int>.Shared.Rent(width);
        var valids = ArrayPool<int>.Shared.Rent(width);
        var mins = ArrayPool<ushort>.Shared.Rent(width);
        var maxs = ArrayPool<ushort>.Shared.Rent(width);
        try
        {
            for (var y = 0; y < height; y++)
            {
                Array.Clear(sums, 0, width);
                Array.Clear(valids, 0, width);
                Array.Fill(mins, ushort.MaxValue, 0, width);
                Array.Clear(maxs, 0, width);
                for (var f = 0; f < count; f++)
                {
                    var row = frames[f].Row(y);
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

                var output = fused.Row(y);
                for (var x = 0; x < output.Length; x++)
                {
                    var valid = valids[x];
                    if (valid < minimumValid)
                    {
                        output[x] = DepthFrame.NoMeasurement;
                        continue;
                    }

                    var sum = sums[x];
                    if (valid >= 4)
                    {
                        sum -= mins[x] + maxs[x];
                        valid -= 2;
                    }

                    output[x] = (ushort)((sum + (valid / 2)) / valid);
                    fusedValid++;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(valids);
            ArrayPool<ushort>.Shared.Return(mins);
            ArrayPool<ushort>.Shared.Return(maxs);
        }

        var deviations = new double[count];
        var worst = 0.0;
        for (var f = 0; f < count; f++)
        {
            deviations[f] = MeanAbsoluteDifferenceMm(frames[f], fused);
            worst = Math.Max(worst, deviations[f]);
        }

        return new FusionStatistics(deviations, worst, fusedValid);
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
