using SpineScan.Core.Capture;

namespace SpineScan.Phantom;

/// <summary>
/// The captures of an installation's calibration for the camera a phantom child is seen by (the same stand, pose, lens,
/// depth bias and depth scale error): the empty scene (floor and wall) at the standing and the forward-bend head positions,
/// and the flat board at each distance of the procedure. As the procedure asks, the empty scene looks over open floor: the
/// wall stands <see cref="WallGapMm"/> behind where the child stood (the stand turned on the spot to face the hall keeps its
/// pitch and roll against gravity). Owns its captures.
/// </summary>
public sealed class PhantomCalibrationScenes : IDisposable
{
    private readonly List<PhantomChild> _rendered;

    private PhantomCalibrationScenes(List<PhantomChild> rendered, DepthCapture emptyStanding, DepthCapture emptyForwardBend, IReadOnlyList<(DepthCapture Capture, double DistanceMm)> boards)
    {
        _rendered = rendered;
        EmptyStanding = emptyStanding;
        EmptyForwardBend = emptyForwardBend;
        Boards = boards;
    }

    /// <summary>The wall's distance behind the child's place in the calibration scenes (mm): about 4 m and more from the camera.</summary>
    public const double WallGapMm = 2500;

    /// <summary>Floor and wall, nobody in view, the stand's head where it is for the standing capture.</summary>
    public DepthCapture EmptyStanding { get; }

    /// <summary>Floor and wall with the head raised and tilted down for the forward bend.</summary>
    public DepthCapture EmptyForwardBend { get; }

    /// <summary>The board captures (standing head) with the board's true distance along the optical axis.</summary>
    public IReadOnlyList<(DepthCapture Capture, double DistanceMm)> Boards { get; }

    /// <summary>
    /// Renders the calibration scenes of the camera that sees <paramref name="child"/> (the same seed and world, so the same
    /// stand and sensor), each with its own sensor noise.
    /// </summary>
    public static PhantomCalibrationScenes Render(PhantomOptions child, IReadOnlyList<double> boardDistancesMm)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(boardDistancesMm);
        var rendered = new List<PhantomChild>();
        try
        {
            var empty = PhantomGenerator.Generate(child with { Scene = PhantomScene.Empty, WallGapMm = WallGapMm, NoiseSeed = PhantomSeeds.Derive(child.Seed, 51), Movement = PhantomMovement.None });
            rendered.Add(empty);
            var boards = new List<(DepthCapture, double)>();
            foreach (var (distance, k) in boardDistancesMm.Select((d, k) => (d, k)))
            {
                var board = PhantomGenerator.Generate(child with
                {
                    Scene = PhantomScene.Board,
                    WallGapMm = WallGapMm,
                    BoardDistanceMm = distance,
                    NoiseSeed = PhantomSeeds.Derive(child.Seed, 60 + k),
                    Movement = PhantomMovement.None,
                });
                rendered.Add(board);
                boards.Add((board.Standing, distance));
            }

            return new PhantomCalibrationScenes(rendered, empty.Standing, empty.ForwardBend, boards);
        }
        catch
        {
            foreach (var r in rendered)
            {
                r.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var r in _rendered)
        {
            r.Dispose();
        }
    }
}
