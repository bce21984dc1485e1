using System.Text;
using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;
using SpineScan.Core.Ports;
using SpineScan.Phantom;

namespace SpineScan.Lab.Bench;

/// <summary>One training child for the back-to-spine network: its back grid and the true centres in the grid's units.</summary>
/// <param name="Seed">The child's phantom seed.</param>
/// <param name="TrueCobbDeg">The largest true Cobb angle.</param>
/// <param name="Grid">The <see cref="BackGrid"/> of its standing capture.</param>
/// <param name="Targets">Lateral shares then sagittal shares of the true body centres C7..L5 at the classical level heights.</param>
/// <param name="Classical">The classical reconstruction's lateral shares at the same heights (for comparison).</param>
internal sealed record GridSample(int Seed, double TrueCobbDeg, float[] Grid, float[] Targets, float[] Classical);

/// <summary>
/// The training set of the back-to-spine network (<c>spinescan-lab bench grids</c>): phantom children through the
/// standing pipeline, each written as its <see cref="BackGrid"/> and the true vertebral-body centres, in a flat
/// little-endian file that <c>models/train_spine_cnn.py</c> reads:
/// magic <c>SSGRID1\n</c>, int32 count, channels, rows, columns, levels; then per child int32 seed, float32 true Cobb,
/// the grid, the targets (2 x levels) and the classical lateral shares (levels).
/// </summary>
internal static class GridSet
{
    public static readonly byte[] Magic = Encoding.ASCII.GetBytes("SSGRID1\n");

    /// <summary>
    /// The centre of each level as the network must learn it: the true body centre's lateral share from the chord and
    /// its sagittal share over the back plane, at the height of the classical level (where the analysis places the
    /// network's answer).
    /// </summary>
    public static GridSample? Sample(ScreeningAnalyzer analyzer, PhantomChild child, int seed)
    {
        GridSample? sample = null;
        analyzer.InspectStanding(child.Standing, inspection =>
        {
            var surface = inspection.Pose.Surface;
            var c7 = inspection.Landmarks.FirstOrDefault(l => l.Name == LandmarkNames.C7);
            var left = inspection.Landmarks.FirstOrDefault(l => l.Name == LandmarkNames.DimpleLeft);
            var right = inspection.Landmarks.FirstOrDefault(l => l.Name == LandmarkNames.DimpleRight);
            if (surface is null || c7.Name is null || left.Name is null || right.Name is null)
            {
                return;
            }

            var dimpleMid = ((left.A + right.A) / 2, (left.B + right.B) / 2);
            var grid = new float[BackGrid.Length];
            var frame = BackGrid.Export(surface, (c7.A, c7.B), dimpleMid, grid);
            var levels = SpinalLineReconstructor.Reconstruct(inspection.SymmetryLine, inspection.C7B, inspection.DimpleMidB, analyzer.Settings.SpinalLine);
            var body = inspection.Pose.Frame!.Value;
            const int N = SpineCentrePrediction.Levels;
            var targets = new float[2 * N];
            var classical = new float[N];
            for (var k = 0; k < N; k++)
            {
                var truth = body.ToBody(child.Truth.Standing.Spine[k].BodyCentreCameraMm);
                var b = levels[k].CentreBodyMm.Y;
                // The true centre at the classical height: its lateral position at that height is taken as its own (the
                // heights differ by a few millimetres; the line's slope there is small).
                var (lateral, sagittal) = frame.ToShares(truth.X, b, truth.Z);
                targets[k] = (float)lateral;
                targets[N + k] = (float)sagittal;
                classical[k] = (float)frame.ToShares(levels[k].CentreBodyMm.X, b, levels[k].CentreBodyMm.Z).Lateral;
            }

            sample = new GridSample(seed, child.Truth.CobbDeg[0], grid, targets, classical);
        });
        return sample;
    }

    public static void Write(Stream stream, IReadOnlyList<GridSample> samples)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(samples.Count);
        writer.Write(BackGrid.Channels);
        writer.Write(BackGrid.Rows);
        writer.Write(BackGrid.Columns);
        writer.Write(SpineCentrePrediction.Levels);
        foreach (var s in samples)
        {
            writer.Write(s.Seed);
            writer.Write((float)s.TrueCobbDeg);
            foreach (var values in new[] { s.Grid, s.Targets, s.Classical })
            {
                foreach (var v in values)
                {
                    writer.Write(v);
                }
            }
        }
    }
}
