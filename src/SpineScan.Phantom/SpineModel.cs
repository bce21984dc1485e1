using SpineScan.Core.Depth;
using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

/// <summary>
/// The child's spine in body coordinates (mm; +X the child's right, +Y up, +Z posterior, origin on the floor
/// between the heels, hip-joint axis at Z = 0): vertebral-body centres, spinous-process tips, axial rotation,
/// the frontal tilts and the truth Cobb, plus the forward-bend posture as a skinning transform.
/// </summary>
internal sealed class SpineModel
{
    public const int LevelCount = 19;

    /// <summary>Half height of the virtual long-cassette film the frontal coordinates are placed on, mm.</summary>
    public const double FilmHalfHeightMm = 450;

    public const double FilmHalfWidthMm = 200;

    private const int ArcSteps = 720;

    // Adult (1.70 m) spacing between consecutive vertebral-body centres, C7-T1 ... L5-S1, mm.
    private static readonly double[] AdultSegmentMm =
        [19, 19.5, 20.2, 20.9, 21.7, 22.4, 23.1, 23.9, 24.6, 25.3, 26.0, 26.8, 30, 33, 35, 37, 38, 36];

    // Adult body-centre to spinous-tip distance, and how far the tip lies caudal of the body centre, mm.
    private static readonly double[] AdultSpinousMm =
        [62, 65, 65.6, 66.3, 66.9, 67.5, 68.2, 68.8, 69.5, 70.1, 70.7, 71.4, 72, 78, 78, 77, 75, 72, 45];

    private static readonly double[] AdultCaudalMm =
        [8, 10, 10, 10, 10, 18, 18, 18, 18, 10, 10, 10, 10, 3, 3, 3, 3, 3, 0];

    private readonly double[] _arcY;      // standing centre line, sampled along the arc from C7 (index 0) to S1
    private readonly double[] _arcZ;
    private readonly double[] _arcAlpha;  // standing sagittal angle of the downward tangent, radians (+ = posterior going down)
    private readonly double[] _bendY;
    private readonly double[] _bendZ;
    private readonly double[] _bendAlpha;
    private readonly double _arcStep;
    private readonly SampledFunction _frontalX;
    private readonly SampledFunction _frontalSlope; // dx/dy_body
    private readonly SampledFunction _rotationDeg;

    public SpineModel(PhantomParameters parameters)
    {
        Parameters = parameters;
        var h = parameters.HeightMm;
        var scale = h / 1700.0;
        YC7 = 0.825 * h;
        YS1 = 0.575 * h;
        ZS1 = 0.03 * h;
        HipJoint = new Vector3d(0, 0.52 * h, 0);

        // Arc-length positions of the levels (unscaled shape), then sagittal integration scaled to the stature.
        var weights = new double[LevelCount];
        for (var k = 1; k < LevelCount; k++)
        {
            weights[k] = weights[k - 1] + AdultSegmentMm[k - 1];
        }

        var kyphosis = Smooth.Rad(parameters.KyphosisDeg);
        var lordosis = Smooth.Rad(parameters.LordosisDeg);
        var balance = parameters.SagittalBalanceMm;
        var arcLength = weights[^1] * scale;
        double offset = 0;
        for (var iteration = 0; iteration < 3; iteration++)
        {
            var length = arcLength;
            offset = Bisect(o => SagittalDz(StandingKnots(kyphosis, lordosis, o), weights, length) - balance, -0.7, 0.7);
            var ratio = VerticalRatio(StandingKnots(kyphosis, lordosis, offset), weights);
            arcLength = (YC7 - YS1) / ratio;
        }

        ArcLength = arcLength;
        var standingKnots = StandingKnots(kyphosis, lordosis, offset);
        SacralSlopeDeg = Smooth.Deg(standingKnots[4]);
        _arcStep = arcLength / ArcSteps;
        LevelArc = new double[LevelCount];
        for (var k = 0; k < LevelCount; k++)
        {
            LevelArc[k] = weights[k] / weights[^1] * arcLength;
        }

        (_arcY, _arcZ, _arcAlpha) = Integrate(standingKnots, LevelArc, arcLength, YS1, ZS1);
        var bendKyphosis = kyphosis + Smooth.Rad(parameters.BendKyphosisIncreaseDeg);
        var bendLordosis = lordosis - Smooth.Rad(parameters.BendLumbarFlexionDeg);
        (_bendY, _bendZ, _bendAlpha) = Integrate(BendKnots(bendKyphosis, bendLordosis, standingKnots[4]), LevelArc, arcLength, YS1, ZS1);

        // Level geometry (standing).
        Centres = new Vector3d[LevelCount];
        var levelY = new double[LevelCount];
        var levelZ = new double[LevelCount];
        var levelAlpha = new double[LevelCount];
        for (var k = 0; k < LevelCount; k++)
        {
            levelY[k] = AtArc(_arcY, LevelArc[k]);
            levelZ[k] = AtArc(_arcZ, LevelArc[k]);
            levelAlpha[k] = AtArc(_arcAlpha, LevelArc[k]);
        }

        LevelY = levelY;

        // Frontal plane: tangent-angle knots at the levels, integrated over height; balanced to the trunk shift.
        var knots = FrontalKnots(parameters.Curves, out var knotLevels);
        var knotY = new double[knotLevels.Length];
        for (var i = 0; i < knotLevels.Length; i++)
        {
            knotY[i] = levelY[knotLevels[i]];
        }

        var shift = Bisect(d => FrontalShift(knotY, knots, d) - parameters.TrunkShiftMm, -0.5, 0.5);
        FrontalOffsetDeg = Smooth.Deg(shift);
        var shiftedKnots = new double[knots.Length];
        for (var i = 0; i < knots.Length; i++)
        {
            shiftedKnots[i] = knots[i] + shift;
        }

        var spline = new MonotoneSpline(knotY, shiftedKnots);
        _frontalSlope = SampledFunction.Sample(YS1 - 400, YC7 + 400, 0.5, y => y < YS1 || y > YC7 ? 0 : -Math.Tan(spline.Evaluate(y)));
        _frontalX = IntegrateSlope(_frontalSlope, YS1);

        // Axial rotation: proportional to each curve's deviation from the chord between its end vertebrae.
        _rotationDeg = RotationProfile(parameters.Curves, levelY);

        SpinousTips = new Vector3d[LevelCount];
        TangentsImageDeg = new double[LevelCount];
        AxialRotationDeg = new double[LevelCount];
        DownTangents = new Vector3d[LevelCount];
        BodyWidthMm = new double[LevelCount];
        BodyHeightMm = new double[LevelCount];
        for (var k = 0; k < LevelCount; k++)
        {
            var y = levelY[k];
            var x = _frontalX.Evaluate(y);
            var slope = _frontalSlope.Evaluate(y);
            var tanImage = -slope;
            TangentsImageDeg[k] = Smooth.Deg(Math.Atan(tanImage));
            var rho = _rotationDeg.Evaluate(y);
            AxialRotationDeg[k] = rho;
            Centres[k] = new Vector3d(x, y, levelZ[k]);
            var alpha = levelAlpha[k];
            var t = new Vector3d(tanImage * Math.Cos(alpha), -Math.Cos(alpha), Math.Sin(alpha)).Normalized();
            DownTangents[k] = t;
            var zAxis = new Vector3d(0, 0, 1);
            var p0 = (zAxis - (Vector3d.Dot(zAxis, t) * t)).Normalized();
            var xAxis = new Vector3d(1, 0, 0);
            var l0 = (xAxis - (Vector3d.Dot(xAxis, t) * t) - (Vector3d.Dot(xAxis, p0) * p0)).Normalized();
            var r = Smooth.Rad(rho);
            var posterior = (Math.Cos(r) * p0) - (Math.Sin(r) * l0);
            SpinousTips[k] = Centres[k] + (AdultSpinousMm[k] * scale * parameters.Coupling.SpinousLengthScale * posterior) + (AdultCaudalMm[k] * scale * t);
            BodyWidthMm[k] = k switch
            {
                0 => 25,
                <= 12 => 30 + (12.0 * (k - 1) / 11),
                <= 17 => 44 + (2.0 * (k - 13)),
                _ => 50,
            } * scale;
            BodyHeightMm[k] = k switch
            {
                0 => 13,
                <= 12 => 15 + (8.0 * (k - 1) / 11),
                <= 17 => 25 + (0.75 * (k - 13)),
                _ => 30,
            } * scale;
        }

        // Forward bend: rotate the pelvis about the hip axis so that the trunk (S1 to T1) meets the drawn angle.
        var t1 = BendCentre(LevelArc[1]);
        var s1 = BendCentre(LevelArc[18]);
        var axis = s1 - t1;
        var trunkAlpha = Math.Atan2(axis.Z, -axis.Y);
        PelvisRotation = trunkAlpha - (Math.PI / 2) - Smooth.Rad(parameters.BendTrunkAngleDeg);
    }

    public PhantomParameters Parameters { get; }

    public double YC7 { get; }

    public double YS1 { get; }

    public double ZS1 { get; }

    public Vector3d HipJoint { get; }

    public double ArcLength { get; }

    public double[] LevelArc { get; }

    public double[] LevelY { get; }

    public Vector3d[] Centres { get; }

    public Vector3d[] SpinousTips { get; }

    public Vector3d[] DownTangents { get; }

    public double[] TangentsImageDeg { get; }

    public double[] AxialRotationDeg { get; }

    public double[] BodyWidthMm { get; }

    public double[] BodyHeightMm { get; }

    public double SacralSlopeDeg { get; }

    public double FrontalOffsetDeg { get; }

    /// <summary>Rotation (radians, about +X) of the pelvis and everything above it in the forward bend.</summary>
    public double PelvisRotation { get; }

    public double FrontalX(double y) => _frontalX.Evaluate(y);

    /// <summary>Vertebral axial rotation (degrees, + = body turned toward the child's right) at standing height y.</summary>
    public double RotationDegAt(double y) => _rotationDeg.Evaluate(y);

    /// <summary>Arc position (0 at C7, <see cref="ArcLength"/> at S1) of the standing centre line at height y, clamped.</summary>
    public double ArcAtHeight(double y)
    {
        if (y >= _arcY[0])
        {
            return 0;
        }

        if (y <= _arcY[ArcSteps])
        {
            return ArcLength;
        }

        int lo = 0, hi = ArcSteps;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (_arcY[mid] > y)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var t = (_arcY[lo] - y) / (_arcY[lo] - _arcY[hi]);
        return (lo + t) * _arcStep;
    }

    /// <summary>Forward-bend position of a point rigidly attached to the spine at arc position <paramref name="arc"/>.</summary>
    public Vector3d BendAttached(Vector3d point, double arc)
    {
        var sy = AtArc(_arcY, arc);
        var sz = AtArc(_arcZ, arc);
        var by = AtArc(_bendY, arc);
        var bz = AtArc(_bendZ, arc);
        var delta = AtArc(_arcAlpha, arc) - AtArc(_bendAlpha, arc);
        var (sin, cos) = Math.SinCos(delta);
        var dy = point.Y - sy;
        var dz = point.Z - sz;
        var local = new Vector3d(point.X, by + (dy * cos) - (dz * sin), bz + (dy * sin) + (dz * cos));
        return RotatePelvis(local);
    }

    /// <summary>Forward-bend position of a surface point whose row lies at standing height <paramref name="rowY"/>.</summary>
    public Vector3d BendRow(Vector3d point, double rowY) => BendAttached(point, ArcAtHeight(rowY));

    /// <summary>Total rotation about +X of the spine frame at <paramref name="arc"/> in the forward bend, radians.</summary>
    public double BendFrameRotation(double arc) => AtArc(_arcAlpha, arc) - AtArc(_bendAlpha, arc) + PelvisRotation;

    public Vector3d RotatePelvis(Vector3d p)
    {
        var (sin, cos) = Math.SinCos(PelvisRotation);
        var dy = p.Y - HipJoint.Y;
        var dz = p.Z - HipJoint.Z;
        return new Vector3d(p.X, HipJoint.Y + (dy * cos) - (dz * sin), HipJoint.Z + (dy * sin) + (dz * cos));
    }

    /// <summary>
    /// Frontal vertebrae T1..L5 on a virtual radiograph in mm (+x the child's right, +y down): the film's top edge lies
    /// <see cref="FilmHalfHeightMm"/> above the midpoint of the T1 and L5 upper endplates, so "upper half" means what it
    /// means on a radiograph centred on the spine, and the image height to pass to the Cobb procedure is 2 x that.
    /// </summary>
    public VertebraCorners[] FrontalVertebrae(ReadOnlySpan<double> tiltsDeg)
    {
        var topT1 = LevelY[1] + (BodyHeightMm[1] / 2);
        var topL5 = LevelY[17] + (BodyHeightMm[17] / 2);
        var filmTop = ((topT1 + topL5) / 2) + FilmHalfHeightMm;
        var corners = new VertebraCorners[17];
        for (var i = 0; i < 17; i++)
        {
            var k = i + 1;
            var c = new Vector2d(Centres[k].X + FilmHalfWidthMm, filmTop - Centres[k].Y);
            var t = Smooth.Rad(tiltsDeg[i]);
            var across = new Vector2d(Math.Cos(t), -Math.Sin(t)) * (BodyWidthMm[k] / 2);
            var down = new Vector2d(Math.Sin(t), Math.Cos(t)) * (BodyHeightMm[k] / 2);
            corners[i] = new VertebraCorners(c - across - down, c + across - down, c - across + down, c + across + down);
        }

        return corners;
    }

    private Vector3d BendCentre(double arc) => new(0, AtArc(_bendY, arc), AtArc(_bendZ, arc));

    private double AtArc(double[] samples, double arc)
    {
        var f = Math.Clamp(arc / _arcStep, 0, ArcSteps);
        var i = Math.Min((int)f, ArcSteps - 1);
        var t = f - i;
        return samples[i] + (t * (samples[i + 1] - samples[i]));
    }

    // Sagittal knots at C7, T4, T12, L1, S1 (radians of the downward tangent, + = going posterior).
    private static double[] StandingKnots(double kyphosis, double lordosis, double offset)
    {
        var s1 = (0.62 * lordosis) + offset;
        var l1 = s1 - lordosis;
        var t12 = l1 + Smooth.Rad(2);
        var t4 = t12 + kyphosis;
        var c7 = t4 + (0.15 * kyphosis);
        return [c7, t4, t12, l1, s1];
    }

    private static double[] BendKnots(double kyphosis, double lordosis, double sacrum)
    {
        var l1 = sacrum - lordosis;
        var t12 = l1 + Smooth.Rad(2);
        var t4 = t12 + kyphosis;
        var c7 = t4 + (0.15 * kyphosis);
        return [c7, t4, t12, l1, sacrum];
    }

    private static MonotoneSpline SagittalSpline(double[] knots, ReadOnlySpan<double> levelPositions) =>
        new([levelPositions[0], levelPositions[4], levelPositions[12], levelPositions[13], levelPositions[18]], knots);

    private static double SagittalDz(double[] knots, double[] weights, double length)
    {
        var spline = SagittalSpline(knots, weights);
        double dz = 0;
        const int steps = 200;
        var step = weights[^1] / steps;
        for (var i = 0; i < steps; i++)
        {
            dz -= Math.Sin(spline.Evaluate((i + 0.5) * step)) * step;
        }

        return dz * length / weights[^1];
    }

    private static double VerticalRatio(double[] knots, double[] weights)
    {
        var spline = SagittalSpline(knots, weights);
        double dy = 0;
        const int steps = 200;
        var step = weights[^1] / steps;
        for (var i = 0; i < steps; i++)
        {
            dy += Math.Cos(spline.Evaluate((i + 0.5) * step)) * step;
        }

        return dy / weights[^1];
    }

    private static (double[] Y, double[] Z, double[] Alpha) Integrate(double[] knots, double[] levelArc, double length, double yS1, double zS1)
    {
        var spline = SagittalSpline(knots, levelArc);
        var y = new double[ArcSteps + 1];
        var z = new double[ArcSteps + 1];
        var alpha = new double[ArcSteps + 1];
        var step = length / ArcSteps;
        y[ArcSteps] = yS1;
        z[ArcSteps] = zS1;
        alpha[ArcSteps] = spline.Evaluate(length);
        for (var i = ArcSteps - 1; i >= 0; i--)
        {
            var a = spline.Evaluate((i + 0.5) * step);
            y[i] = y[i + 1] + (Math.Cos(a) * step);
            z[i] = z[i + 1] - (Math.Sin(a) * step);
            alpha[i] = spline.Evaluate(i * step);
        }

        return (y, z, alpha);
    }

    // Frontal tangent knots (image convention, radians) at level indices sorted bottom (S1) to top (C7).
    private static double[] FrontalKnots(CurveParameters[] curves, out int[] levels)
    {
        var byLevel = new SortedDictionary<int, double>();
        if (curves.Length == 0)
        {
            byLevel[0] = 0;
            byLevel[18] = 0;
        }
        else
        {
            // Order curves top to bottom; tangents run down through the chain of end vertebrae.
            var ordered = curves.OrderBy(c => (int)c.Apex).ToArray();
            var first = ordered[0];
            var sign = first.ConvexRight ? 1.0 : -1.0;
            var theta = sign * Smooth.Rad(first.TargetCobbDeg) / 2;
            byLevel[(int)first.UpperEnd] = theta;
            foreach (var curve in ordered)
            {
                var s = curve.ConvexRight ? 1.0 : -1.0;
                var upper = byLevel.TryGetValue((int)curve.UpperEnd, out var existing) ? existing : theta;
                byLevel[(int)curve.UpperEnd] = upper;
                var lower = upper - (s * Smooth.Rad(curve.TargetCobbDeg));
                byLevel[(int)curve.LowerEnd] = lower;
                if ((int)curve.Apex > (int)curve.UpperEnd && (int)curve.Apex < (int)curve.LowerEnd)
                {
                    byLevel[(int)curve.Apex] = (upper + lower) / 2;
                }

                theta = lower;
            }

            var top = byLevel.First();
            var bottom = byLevel.Last();
            if (top.Key > 0)
            {
                byLevel[0] = 0.3 * top.Value;
            }

            if (bottom.Key < 18)
            {
                byLevel[18] = 0.3 * bottom.Value;
            }
        }

        // Bottom first so that height increases along the knots.
        levels = byLevel.Keys.Reverse().ToArray();
        var values = new double[levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            values[i] = byLevel[levels[i]];
        }

        return values;
    }

    private static double FrontalShift(double[] knotY, double[] knots, double offset)
    {
        var shifted = new double[knots.Length];
        for (var i = 0; i < knots.Length; i++)
        {
            shifted[i] = knots[i] + offset;
        }

        var spline = new MonotoneSpline(knotY, shifted);
        double x = 0;
        const int steps = 400;
        var step = (knotY[^1] - knotY[0]) / steps;
        for (var i = 0; i < steps; i++)
        {
            x -= Math.Tan(spline.Evaluate(knotY[0] + ((i + 0.5) * step))) * step;
        }

        return x;
    }

    private static SampledFunction IntegrateSlope(SampledFunction slope, double zeroAt)
    {
        var count = (int)Math.Round((slope.End - slope.Start) / slope.Step) + 1;
        var values = new double[count];
        for (var i = 1; i < count; i++)
        {
            var y = slope.Start + ((i - 0.5) * slope.Step);
            values[i] = values[i - 1] + (slope.Evaluate(y) * slope.Step);
        }

        var raw = new SampledFunction(slope.Start, slope.Step, values);
        var origin = raw.Evaluate(zeroAt);
        for (var i = 0; i < count; i++)
        {
            values[i] -= origin;
        }

        return new SampledFunction(slope.Start, slope.Step, values);
    }

    private SampledFunction RotationProfile(CurveParameters[] curves, double[] levelY)
    {
        var start = _frontalX.Start;
        var end = _frontalX.End;
        var step = 1.0;
        var count = (int)Math.Ceiling((end - start) / step) + 1;
        var values = new double[count];
        foreach (var curve in curves)
        {
            var yUpper = levelY[(int)curve.UpperEnd];
            var yLower = levelY[(int)curve.LowerEnd];
            var xUpper = _frontalX.Evaluate(yUpper);
            var xLower = _frontalX.Evaluate(yLower);
            var maxDeviation = 0.0;
            for (var y = yLower; y <= yUpper; y += 1)
            {
                var chord = xLower + ((xUpper - xLower) * (y - yLower) / (yUpper - yLower));
                maxDeviation = Math.Max(maxDeviation, Math.Abs(_frontalX.Evaluate(y) - chord));
            }

            if (maxDeviation < 1e-9)
            {
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var y = start + (i * step);
                if (y < yLower || y > yUpper)
                {
                    continue;
                }

                var chord = xLower + ((xUpper - xLower) * (y - yLower) / (yUpper - yLower));
                values[i] += curve.ApexRotationDeg * (_frontalX.Evaluate(y) - chord) / maxDeviation;
            }
        }

        return new SampledFunction(start, step, values);
    }

    private static double Bisect(Func<double, double> f, double lo, double hi)
    {
        var flo = f(lo);
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            var fm = f(mid);
            if ((fm < 0) == (flo < 0))
            {
                lo = mid;
                flo = fm;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }
}
