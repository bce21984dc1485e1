using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>A movement during the burst as drawn (see <see cref="PhantomMovement"/>).</summary>
/// <param name="Kind">What the child does.</param>
/// <param name="Size">Step: mm, positive toward the camera (a step back); turn: degrees, positive counter-clockwise seen from above; raised arm: abduction reached, degrees.</param>
/// <param name="OnsetFraction">When the movement starts, as a share of the burst (frame round(share x (frames - 1))); it takes two frame intervals.</param>
/// <param name="RightArm">Raised arm: the right one (else the left).</param>
public sealed record MovementDraw(PhantomMovement Kind, double Size, double OnsetFraction, bool RightArm)
{
    /// <summary>No movement.</summary>
    public static MovementDraw None { get; } = new(PhantomMovement.None, 0, 0, false);

    /// <summary>Draws the size, side and onset of <paramref name="kind"/> from <paramref name="noiseSeed"/>'s own stream.</summary>
    internal static MovementDraw Draw(PhantomMovement kind, int noiseSeed)
    {
        if (kind == PhantomMovement.None)
        {
            return None;
        }

        var random = new Random(PhantomSeeds.Derive(noiseSeed, 29));
        var sign = random.NextDouble() < 0.5 ? -1.0 : 1.0;
        var onset = random.NextUniform(0.3, 0.6);
        var right = random.NextDouble() < 0.5;
        var size = kind switch
        {
            PhantomMovement.Step => sign * random.NextUniform(80, 150),
            PhantomMovement.Turn => sign * random.NextUniform(10, 15),
            _ => random.NextUniform(60, 90),
        };
        return new MovementDraw(kind, size, onset, right);
    }
}

/// <summary>What a mesh of the body does when the child breathes (see <see cref="BodyMeshes"/>).</summary>
internal enum MeshRole
{
    /// <summary>The trunk's height field: breathes, most at mid-thorax.</summary>
    Torso,

    /// <summary>Legs: the same in both poses, they do not breathe.</summary>
    Legs,

    /// <summary>Arms, neck, head, hair: carried a little by the shoulders.</summary>
    Upper,
}

/// <summary>
/// The body's meshes in both poses, built once per child, with what each mesh does when the child breathes. The torso
/// is the first mesh of <see cref="PhantomBody.BuildMeshes"/> and has the same rows in both poses (each row one standing
/// height); the legs are the meshes that are identical in both poses (they stand still in the bend); the rest hangs
/// from the shoulders.
/// </summary>
internal sealed class BodyMeshes
{
    private BodyMeshes(List<GridMesh> standing, List<GridMesh> bend, MeshRole[] roles, double[] rowHeight, double[] rowCentreX, double[] rowHalfWidth)
    {
        Standing = standing;
        Bend = bend;
        Roles = roles;
        RowHeight = rowHeight;
        RowCentreX = rowCentreX;
        RowHalfWidth = rowHalfWidth;
    }

    public List<GridMesh> Standing { get; }

    public List<GridMesh> Bend { get; }

    public MeshRole[] Roles { get; }

    /// <summary>Standing height of each torso row (its middle column, where the shoulder and pelvis warp is zero).</summary>
    public double[] RowHeight { get; }

    /// <summary>Lateral centre and half-width of each standing torso row.</summary>
    public double[] RowCentreX { get; }

    public double[] RowHalfWidth { get; }

    public List<GridMesh> For(CapturePose pose) => pose == CapturePose.Standing ? Standing : Bend;

    public static BodyMeshes Build(PhantomBody body)
    {
        var standing = body.BuildMeshes(CapturePose.Standing);
        var bend = body.BuildMeshes(CapturePose.ForwardBend);
        var torso = standing[0];
        if (standing.Count != bend.Count || bend[0].Rows != torso.Rows || bend[0].Columns != torso.Columns)
        {
            throw new InvalidOperationException("The body's meshes differ in number or torso grid between the poses: breathing cannot follow the torso's rows.");
        }

        var roles = new MeshRole[standing.Count];
        for (var m = 1; m < standing.Count; m++)
        {
            roles[m] = Identical(standing[m], bend[m]) ? MeshRole.Legs : MeshRole.Upper;
        }

        var rows = torso.Rows;
        var columns = torso.Columns;
        var height = new double[rows];
        var centre = new double[rows];
        var half = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var middle = (r * columns) + ((columns - 1) / 2);
            height[r] = torso.Y[middle];
            centre[r] = torso.X[middle];
            half[r] = Math.Max(1, (torso.X[(r * columns) + columns - 1] - torso.X[r * columns]) / 2);
        }

        return new BodyMeshes(standing, bend, roles, height, centre, half);
    }

    private static bool Identical(GridMesh a, GridMesh b) =>
        a.Rows == b.Rows && a.Columns == b.Columns && a.X.AsSpan().SequenceEqual(b.X) && a.Y.AsSpan().SequenceEqual(b.Y) && a.Z.AsSpan().SequenceEqual(b.Z);
}

/// <summary>
/// How the child moves over one burst: breathing (a non-rigid front-to-back movement of the trunk along its own
/// posterior direction, largest at mid-thorax, less in the lumbar spine, none below the pelvis, a little at the
/// shoulders, arms and head), slow sway (the whole body as an inverted pendulum about the ankles, the drawn amplitude
/// reached at mid-back height) and the movement scenario (a step, a turn about the vertical, a raised arm). Each frame's
/// body is written into work meshes of the same shape, so a burst allocates its meshes once.
/// </summary>
internal sealed class PhantomMotion
{
    /// <summary>The forward-bend burst is taken this long after the standing one, so breathing and sway are in another phase.</summary>
    public const double BendStartS = 15;

    // Breathing weight over standing height (share of stature; C7 lies at 0.825, T7 near 0.74, L3 near 0.63, the hip
    // joints at 0.52): none below the pelvis, half in the lumbar spine, all at mid-thorax, a third at the shoulders and above.
    private static readonly MonotoneSpline BreathingProfile = new(
        [0.50, 0.56, 0.63, 0.74, 0.79, 0.82, 0.90],
        [0.0, 0.25, 0.5, 1.0, 0.6, 0.3, 0.3]);

    private const double UpperBodyShare = 0.3;
    private const double FlankShare = 0.4; // the flanks move this much less than the middle of the back

    private readonly PhantomParameters _p;
    private readonly MotionDraw _motion;
    private readonly MovementDraw _movement;
    private readonly double _startS;
    private readonly double _intervalS;
    private readonly List<GridMesh> _child;
    private readonly MeshRole[] _roles;
    private readonly List<GridMesh>? _halfRaised;
    private readonly List<GridMesh>? _raised;
    private readonly Vector3d? _secondPerson;
    private readonly double[] _torsoX;
    private readonly double[] _torsoY;
    private readonly double[] _torsoZ;
    private readonly Vector3d _upperDirection;
    private readonly List<GridMesh> _work = [];
    private readonly int _onsetFrame;

    public PhantomMotion(PhantomParameters parameters, CapturePose pose, BodyMeshes meshes, SpineModel spine, Vector3d? secondPerson)
    {
        _p = parameters;
        _motion = parameters.NoiseFree ? MotionDraw.None : parameters.Motion;
        _movement = parameters.Movement;
        _startS = pose == CapturePose.Standing ? 0 : BendStartS;
        _intervalS = parameters.Noise.FrameIntervalMs / 1000;
        _child = meshes.For(pose);
        _roles = meshes.Roles;
        _secondPerson = secondPerson;
        _onsetFrame = (int)Math.Round(_movement.OnsetFraction * Math.Max(0, parameters.FrameCount - 1));
        if (_movement.Kind == PhantomMovement.RaisedArm)
        {
            _halfRaised = RaisedArmMeshes(parameters, spine, pose, 0.5);
            _raised = RaisedArmMeshes(parameters, spine, pose, 1);
        }

        // Breathing displacement of every torso vertex at unit amplitude: along the row's posterior direction (the
        // standing +Z carried into the pose), weighted by height and falling off toward the flanks.
        var torso = _child[0];
        var rows = torso.Rows;
        var columns = torso.Columns;
        _torsoX = new double[torso.VertexCount];
        _torsoY = new double[torso.VertexCount];
        _torsoZ = new double[torso.VertexCount];
        var h = parameters.HeightMm;
        var shoulderRow = 0;
        for (var r = 0; r < rows; r++)
        {
            if (Math.Abs(meshes.RowHeight[r] - (0.80 * h)) < Math.Abs(meshes.RowHeight[shoulderRow] - (0.80 * h)))
            {
                shoulderRow = r;
            }
        }

        for (var r = 0; r < rows; r++)
        {
            var n = Posterior(torso, r);
            var weight = BreathingProfile.Evaluate(meshes.RowHeight[r] / h);
            if (r == shoulderRow)
            {
                _upperDirection = n * UpperBodyShare;
            }

            var standingTorso = meshes.Standing[0];
            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                var lateral = (standingTorso.X[i] - meshes.RowCentreX[r]) / meshes.RowHalfWidth[r];
                var w = weight * (1 - (FlankShare * Math.Min(1, lateral * lateral)));
                _torsoX[i] = n.X * w;
                _torsoY[i] = n.Y * w;
                _torsoZ[i] = n.Z * w;
            }
        }

        foreach (var mesh in _child)
        {
            _work.Add(new GridMesh(mesh.Rows, mesh.Columns));
        }

        if (secondPerson is not null)
        {
            foreach (var mesh in _child)
            {
                _work.Add(new GridMesh(mesh.Rows, mesh.Columns));
            }
        }
    }

    /// <summary>
    /// Whether the child stands as still as the base phantom's (no breathing, no modelled sway, no movement): the burst
    /// is then the meshes as built moved by the old per-frame jitter only, exactly as before.
    /// </summary>
    public bool IsStill => _motion.BreathingMm == 0 && _motion.SwayMm is null && _movement.Kind == PhantomMovement.None;

    /// <summary>Lists what is wrong with a forced motion draw; empty when usable.</summary>
    public static IReadOnlyList<string> Problems(MotionDraw motion)
    {
        ArgumentNullException.ThrowIfNull(motion);
        var problems = new List<string>();
        if (!double.IsFinite(motion.BreathingMm) || motion.BreathingMm is < 0 or > 30)
        {
            problems.Add("breathing amplitude must be 0..30 mm");
        }

        if (motion.SwayMm is { } sway && (!double.IsFinite(sway) || sway is < 0 or > 50))
        {
            problems.Add("sway amplitude must be 0..50 mm");
        }

        if (!double.IsFinite(motion.BreathingPeriodS) || motion.BreathingPeriodS <= 0.2 || !double.IsFinite(motion.SwayPeriodS) || motion.SwayPeriodS <= 0.2)
        {
            problems.Add("breathing and sway periods must be longer than 0.2 s");
        }

        if (!double.IsFinite(motion.BreathingPhase) || !double.IsFinite(motion.SwayPhase) || !double.IsFinite(motion.SwayDirectionDeg))
        {
            problems.Add("motion phases and the sway direction must be finite");
        }

        return problems;
    }

    /// <summary>The body at frame <paramref name="frame"/> (world millimetres), in work meshes reused by the next call.</summary>
    public IReadOnlyList<GridMesh> Frame(int frame)
    {
        var t = _startS + (frame * _intervalS);
        var progress = _movement.Kind == PhantomMovement.None ? 0 : Math.Clamp((frame - _onsetFrame + 1) / 2.0, 0, 1);
        var source = _movement.Kind == PhantomMovement.RaisedArm && progress > 0 ? (progress < 1 ? _halfRaised! : _raised!) : _child;
        var breathing = _motion.BreathingMm * Math.Sin((2 * Math.PI * t / _motion.BreathingPeriodS) + _motion.BreathingPhase);

        // Sway: the body turns about the ankles (the floor at the heels) so that mid-back height moves by the amplitude.
        var swayAngle = _motion.SwayMm is { } sway
            ? sway / (0.69 * _p.HeightMm) * Math.Sin((2 * Math.PI * t / _motion.SwayPeriodS) + _motion.SwayPhase)
            : 0;
        var (swaySin, swayCos) = Math.SinCos(swayAngle);
        var (dirZ, dirX) = Math.SinCos(_motion.SwayDirectionDeg * Math.PI / 180);
        var turn = _movement.Kind == PhantomMovement.Turn ? _movement.Size * progress * Math.PI / 180 : 0;
        var (turnSin, turnCos) = Math.SinCos(turn);
        var step = _movement.Kind == PhantomMovement.Step ? _movement.Size * progress : 0;
        var upper = _upperDirection * breathing;

        for (var m = 0; m < source.Count; m++)
        {
            var from = source[m];
            var to = _work[m];
            var role = _roles[m];
            for (var i = 0; i < from.VertexCount; i++)
            {
                double x = from.X[i], y = from.Y[i], z = from.Z[i];
                if (role == MeshRole.Torso)
                {
                    x += _torsoX[i] * breathing;
                    y += _torsoY[i] * breathing;
                    z += _torsoZ[i] * breathing;
                }
                else if (role == MeshRole.Upper)
                {
                    x += upper.X;
                    y += upper.Y;
                    z += upper.Z;
                }

                // Sway in the vertical plane of the sway direction (s along it, y up), perpendicular part unchanged.
                var s = (x * dirX) + (z * dirZ);
                var s2 = (s * swayCos) + (y * swaySin);
                y = (y * swayCos) - (s * swaySin);
                x += (s2 - s) * dirX;
                z += (s2 - s) * dirZ;

                // Turn about the vertical through the heels, then the step along the body's Z.
                var xt = (x * turnCos) - (z * turnSin);
                z = (x * turnSin) + (z * turnCos) + step;
                to.X[i] = xt;
                to.Y[i] = y;
                to.Z[i] = z;
            }
        }

        if (_secondPerson is { } offset)
        {
            for (var m = 0; m < source.Count; m++)
            {
                var from = _work[m];
                var to = _work[source.Count + m];
                for (var i = 0; i < from.VertexCount; i++)
                {
                    to.X[i] = from.X[i] + offset.X;
                    to.Y[i] = from.Y[i] + offset.Y;
                    to.Z[i] = from.Z[i] + offset.Z;
                }
            }
        }

        return _work;
    }

    // The posterior direction of torso row r in its pose: the lateral axis (X, which the bend's rotation keeps) crossed
    // with the row's direction up the trunk; +Z standing.
    private static Vector3d Posterior(GridMesh torso, int r)
    {
        var columns = torso.Columns;
        var middle = (columns - 1) / 2;
        var below = (Math.Max(0, r - 1) * columns) + middle;
        var above = (Math.Min(torso.Rows - 1, r + 1) * columns) + middle;
        var up = new Vector3d(torso.X[above] - torso.X[below], torso.Y[above] - torso.Y[below], torso.Z[above] - torso.Z[below]);
        var n = Vector3d.Cross(new Vector3d(1, 0, 0), up);
        return n.Length > 1e-9 ? n.Normalized() : new Vector3d(0, 0, 1);
    }

    // The whole body with one arm abducted part of the way (progress 0..1) to the drawn angle, in the pose.
    private static List<GridMesh> RaisedArmMeshes(PhantomParameters p, SpineModel spine, CapturePose pose, double progress)
    {
        var m = p.Movement;
        var raised = m.RightArm
            ? p with { ArmAbductionRightDeg = p.ArmAbductionRightDeg + ((m.Size - p.ArmAbductionRightDeg) * progress) }
            : p with { ArmAbductionLeftDeg = p.ArmAbductionLeftDeg + ((m.Size - p.ArmAbductionLeftDeg) * progress) };
        var meshes = new PhantomBody(raised, spine).BuildMeshes(pose);
        return meshes;
    }
}
