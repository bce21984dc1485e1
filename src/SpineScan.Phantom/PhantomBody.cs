using SpineScan.Core.Capture;
using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>
/// The child's body: the back as a smooth analytic height field Z(x, y) over the standing body coordinates
/// (rows at constant height, so every row is one cross-section), plus tubes and ellipsoids for neck, head,
/// arms and legs. All dimensions scale with stature; soft tissue with build. The forward bend re-uses the
/// same field: every row is carried rigidly by the spine frame at its height (a continuous skinning of the
/// back on the spine), the pelvis turning about the hip axis.
/// </summary>
internal sealed class PhantomBody
{
    /// <summary>Lateral half-span of the truth scoliometer, mm (feet at +/- this from the spinous line).</summary>
    public const double ScoliometerHalfSpanMm = 50;

    private const double RowStepMm = 3;

    // Shoulder straps stand this far off the skin.
    private const double StrapProudMm = 1.5;

    private readonly PhantomParameters _p;
    private readonly SpineModel _spine;
    private readonly double _h;
    private readonly double _fat;
    private readonly MonotoneSpline _width;
    private readonly MonotoneSpline _depth;
    private readonly MonotoneSpline _tipX;
    private readonly MonotoneSpline _tipZ;
    private readonly MonotoneSpline _soft;
    private readonly MonotoneSpline _groove;
    private readonly double _yC7Tip;
    private readonly double _zC7Tip;
    private readonly double _yS1Tip;
    private readonly double _zS1Tip;
    private readonly double _yWaist;
    private readonly double _yPsis;
    private readonly double _yBand;
    private readonly double _yButtocksTop;
    private readonly double _yBandLow;
    private readonly double _yBandHigh;
    private readonly double _yBottom;
    private readonly double _yTop;
    private readonly double _scapulaHeight;
    private readonly double _ribAmplitude;
    private readonly double _dimpleDepth;

    public PhantomBody(PhantomParameters parameters, SpineModel spine)
    {
        _p = parameters;
        _spine = spine;
        var h = _h = parameters.HeightMm;
        _fat = Math.Exp(0.13 * parameters.BuildZ);
        var girl = parameters.Sex == PhantomSex.Female;
        var maturity = Math.Clamp((parameters.AgeYears - 11) / 5, 0, 1);
        var shoulder = (girl ? 0.110 : 0.110 + (0.008 * maturity)) * h;
        var chest = 0.085 * h * Math.Pow(_fat, 0.5) * (1 + (0.05 * parameters.BreastScale)); // breasts widen the outline
        var waist = (girl ? 0.068 - (0.004 * maturity) : 0.074) * h * Math.Pow(_fat, 0.8);
        var hip = (girl ? 0.090 + (0.006 * maturity) : 0.088) * h * Math.Pow(_fat, 0.6);
        var neck = 0.036 * h * Math.Pow(_fat, 0.3);
        _yWaist = 0.62 * h;
        _yPsis = 0.555 * h;
        _yBand = parameters.Clothes.WaistbandAboveDimplesMm is { } above ? _yPsis + above : 0.535 * h;
        _yButtocksTop = Math.Max(0.57 * h, _yBand + 5);
        _yBottom = 0.42 * h;
        _yTop = 0.855 * h;
        _width = new MonotoneSpline(
            [0.42 * h, 0.50 * h, 0.56 * h, _yWaist, 0.70 * h, 0.74 * h, 0.79 * h, 0.815 * h, 0.84 * h, _yTop],
            [hip * 0.96, hip, (hip * 0.75) + (waist * 0.25), waist, chest * 0.97, chest, shoulder * 1.02, shoulder * 0.97, (shoulder + neck) / 2, neck]);
        _depth = new MonotoneSpline(
            [0.42 * h, 0.52 * h, _yWaist, 0.72 * h, 0.80 * h, 0.83 * h, _yTop],
            [0.05 * h * _fat, 0.055 * h * _fat, 0.05 * h * _fat, 0.06 * h * Math.Pow(_fat, 0.8), 0.05 * h, 0.04 * h, 0.03 * h]);

        // Spinous tips as functions of height (ascending knots: S1 first).
        var tips = spine.SpinousTips;
        var n = SpineModel.LevelCount;
        var ty = new double[n];
        var tx = new double[n];
        var tz = new double[n];
        var soft = new double[n];
        var groove = new double[n];
        double[] grooveMm = [-6, -2, 0, 2, 3, 4, 4, 4, 4, 4.5, 4.5, 5, 5, 6, 7, 8, 8, 7, 4];
        var lean = Math.Clamp(-parameters.BuildZ, -1.5, 2);
        for (var i = 0; i < n; i++)
        {
            var k = n - 1 - i;
            ty[i] = tips[k].Y;
            tx[i] = tips[k].X;
            tz[i] = tips[k].Z;
            soft[i] = (k switch { 0 => 4, <= 12 => 5, <= 17 => 9, _ => 10 }) * _fat * _fat * parameters.Coupling.SoftTissueScale;
            groove[i] = grooveMm[k] < 0
                ? grooveMm[k] * (1 + (0.25 * lean))
                : grooveMm[k] * (0.7 + (0.3 * _fat * _fat)) * (k >= 13 ? 1 + (0.15 * parameters.LordosisDeg / 45) : 1);
        }

        _tipX = new MonotoneSpline(ty, tx);
        _tipZ = new MonotoneSpline(ty, tz);
        _soft = new MonotoneSpline(ty, soft);
        _groove = new MonotoneSpline(ty, groove);
        _yC7Tip = tips[0].Y;
        _zC7Tip = tips[0].Z;
        _yS1Tip = tips[18].Y;
        var bandMiddle = _yC7Tip - (parameters.Clothes.BandLevel * (_yC7Tip - _yPsis));
        _yBandLow = bandMiddle - (parameters.Clothes.BandWidthMm / 2);
        _yBandHigh = bandMiddle + (parameters.Clothes.BandWidthMm / 2);
        _zS1Tip = tips[18].Z;
        _scapulaHeight = Math.Clamp(6 - (2.5 * parameters.BuildZ), 2, 11);
        _ribAmplitude = Math.Clamp(0.6 - (0.5 * parameters.BuildZ), 0, 1.2);
        _dimpleDepth = 3.5 + (0.8 * Math.Clamp(parameters.BuildZ, -1, 1.5));
    }

    /// <summary>Which pose a surface evaluation is for (the rib hump and the scapulae differ).</summary>
    private readonly record struct Row(
        double Y, double Xc, double W, double D, double Xs, double ZRef, double Groove, double Paraspinal,
        double Xb, double TanPsi, double Wh, double RibMask, bool Bend);

    /// <summary>The back surface Z (standing body coordinates, before the shoulder/pelvis warp) at (x, y).</summary>
    public double SurfaceZ(double x, double y, CapturePose pose) => Evaluate(RowAt(y, pose == CapturePose.ForwardBend), x);

    /// <summary>Surface rotation of the model at height y, degrees (+ = right side more posterior).</summary>
    public double SurfaceRotationDeg(double y, CapturePose pose)
    {
        var thoracicWeight = Smooth.Step(_spine.LevelY[13], _spine.LevelY[11], y);
        var factor = (_p.SurfaceRotationFactorThoracic * thoracicWeight) + (_p.SurfaceRotationFactorLumbar * (1 - thoracicWeight));
        var physiological = _p.PhysiologicalRotationDeg * Smooth.Gauss(y - _spine.LevelY[8], 0.06 * _h);
        var bend = (factor * _spine.RotationDegAt(y)) + physiological;
        return pose == CapturePose.ForwardBend ? bend : bend * _p.StandingSurfaceRotationRatio;
    }

    /// <summary>Vertical displacement for shoulder height difference and pelvic obliquity.</summary>
    public double Warp(double x, double y)
    {
        var xc = CentreX(y);
        var side = Math.Tanh((x - xc) / 30);
        var shoulder = _p.ShoulderHeightDifferenceMm / 2 * side * Smooth.Step(0.70 * _h, 0.80 * _h, y);
        var pelvis = _p.PelvicObliquityMm / 2 * side * (1 - Smooth.Step(0.56 * _h, 0.62 * _h, y));
        return shoulder + pelvis;
    }

    /// <summary>A surface point of the pose in world (body) coordinates, from standing field coordinates (x, y).</summary>
    public Vector3d SurfacePoint(double x, double y, CapturePose pose)
    {
        var z = SurfaceZ(x, y, pose);
        var p = new Vector3d(x, y + Warp(x, y), z);
        return pose == CapturePose.ForwardBend ? _spine.BendRow(p, y) : p;
    }

    /// <summary>A point attached to the spine at level <paramref name="level"/>, in the pose.</summary>
    public Vector3d SpinePoint(Vector3d standing, int level, CapturePose pose) =>
        pose == CapturePose.ForwardBend ? _spine.BendAttached(standing, _spine.LevelArc[level]) : standing;

    /// <summary>The skin over a spinous tip (standing field coordinates).</summary>
    public Vector3d SkinOverTip(int level, CapturePose pose)
    {
        var tip = _spine.SpinousTips[level];
        return SurfacePoint(tip.X, tip.Y, pose);
    }

    public double CentreX(double y) => 0.6 * _spine.FrontalX(Math.Min(y, _spine.YC7)) * Smooth.Step(_spine.YS1 - 20, _yWaist, y);

    /// <summary>Named landmarks (standing field coordinates) in the pose.</summary>
    public IReadOnlyList<(string Name, Vector3d Point)> Landmarks(CapturePose pose)
    {
        var bend = pose == CapturePose.ForwardBend;
        var h = _h;
        var list = new List<(string, Vector3d)> { ("c7", SkinOverTip(0, pose)) };
        var acromionY = 0.815 * h;
        var acromionX = (_width.Evaluate(acromionY) * 0.93) + 0;
        var ia = ScapulaCorners(bend).Inferior;
        var waistW = _width.Evaluate(_yWaist) * 0.97;
        var dimpleX = 0.03 * h;
        foreach (var (side, sign) in new[] { ("Left", -1.0), ("Right", 1.0) })
        {
            list.Add(("acromion" + side, SurfacePoint(CentreX(acromionY) + (sign * acromionX), acromionY, pose)));
            list.Add(("scapulaInferiorAngle" + side, SurfacePoint(CentreX(ia.Y) + (sign * ia.X), ia.Y, pose)));
            list.Add(("waist" + side, SurfacePoint(CentreX(_yWaist) + (sign * waistW), _yWaist, pose)));
            list.Add(("lumbarDimple" + side, SurfacePoint(CentreX(_yPsis) + (sign * dimpleX), _yPsis, pose)));
        }

        return list;
    }

    /// <summary>
    /// The truth angle of trunk rotation: the largest inclination (degrees, + = right side higher) to the horizontal of the
    /// line between two points +/- <see cref="ScoliometerHalfSpanMm"/> either side of the spinous line on each
    /// cross-section of the noise-free forward-bend surface, scanned every 2 mm from T1 to L5.
    /// </summary>
    public (double AtrDeg, double Y, double ThoracicMaxDeg, double LumbarMaxDeg) ForwardBendAtr()
    {
        double best = 0, bestY = _spine.LevelY[8], thoracic = 0, lumbar = 0;
        var top = _spine.SpinousTips[1].Y;
        var bottom = _spine.SpinousTips[17].Y;
        var thoracolumbar = (_spine.SpinousTips[12].Y + _spine.SpinousTips[13].Y) / 2;
        for (var y = bottom; y <= top; y += 2)
        {
            var xs = _tipX.Evaluate(y);
            var left = SurfacePoint(xs - ScoliometerHalfSpanMm, y, CapturePose.ForwardBend);
            var right = SurfacePoint(xs + ScoliometerHalfSpanMm, y, CapturePose.ForwardBend);
            var d = right - left;
            var angle = Smooth.Deg(Math.Atan2(d.Y, Math.Sqrt((d.X * d.X) + (d.Z * d.Z))));
            if (Math.Abs(angle) > Math.Abs(best))
            {
                best = angle;
                bestY = y;
            }

            if (y >= thoracolumbar && Math.Abs(angle) > Math.Abs(thoracic))
            {
                thoracic = angle;
            }
            else if (y < thoracolumbar && Math.Abs(angle) > Math.Abs(lumbar))
            {
                lumbar = angle;
            }
        }

        return (best, bestY, thoracic, lumbar);
    }

    /// <summary>All meshes of the body in the pose (world millimetres).</summary>
    public List<GridMesh> BuildMeshes(CapturePose pose)
    {
        var bend = pose == CapturePose.ForwardBend;
        var h = _h;
        var meshes = new List<GridMesh> { BuildTorso(pose) };

        // Legs: thigh (shorts to 0.38 H), shank to the ankle; they stand still in the forward bend.
        var legRadius = 0.052 * h * Math.Pow(_fat, 0.6);
        var kneeRadius = 0.031 * h * Math.Pow(_fat, 0.4);
        var ankleRadius = 0.02 * h;
        var hipX = (_p.Sex == PhantomSex.Female ? 0.052 : 0.05) * h;
        foreach (var sign in new[] { -1.0, 1.0 })
        {
            var lift = _p.PelvicObliquityMm / 2 * sign;
            var hip = new Vector3d(sign * hipX, (0.52 * h) + lift, 0);
            var hem = new Vector3d(sign * hipX * 0.96, 0.38 * h, 0);
            var knee = new Vector3d(sign * 0.045 * h, 0.285 * h, 0.005 * h);
            var ankle = new Vector3d(sign * 0.04 * h, 0.045 * h, 0.01 * h);
            var hemRadius = legRadius + ((kneeRadius - legRadius) * ((0.52 - 0.38) / (0.52 - 0.285)));
            meshes.Add(GridMesh.Tube(hip, hem, legRadius + 4, legRadius + 4, hemRadius + 4, hemRadius + 4));
            meshes.Add(GridMesh.Tube(hem, knee, hemRadius, hemRadius, kneeRadius, kneeRadius));
            meshes.Add(GridMesh.Tube(knee, ankle, kneeRadius, kneeRadius * 1.05, ankleRadius, ankleRadius));
            meshes.Add(GridMesh.Tube(ankle, new Vector3d(ankle.X, -5, ankle.Z), ankleRadius, ankleRadius, ankleRadius, ankleRadius));
        }

        // Arms hang from the shoulder joints: along the body standing, straight down to the floor in the bend.
        var upperArm = 0.186 * h;
        var forearm = 0.146 * h;
        var armZ = RowAt(0.72 * h, false).ZRef - (0.055 * h);
        var shoulderY = 0.80 * h;
        foreach (var (sign, abduction) in new[] { (-1.0, _p.ArmAbductionLeftDeg), (1.0, _p.ArmAbductionRightDeg) })
        {
            var joint = new Vector3d(CentreX(shoulderY) + (sign * 0.094 * h), shoulderY + (_p.ShoulderHeightDifferenceMm / 2 * sign), armZ);
            var a = Smooth.Rad(abduction);
            Vector3d dir1, dir2;
            if (bend)
            {
                joint = _spine.BendRow(joint, shoulderY);
                dir1 = new Vector3d(sign * Math.Sin(a * 0.5), -Math.Cos(a * 0.5), 0).Normalized();
                dir2 = dir1;
            }
            else
            {
                dir1 = new Vector3d(sign * Math.Sin(a), -Math.Cos(a), -0.05).Normalized();
                dir2 = new Vector3d(sign * Math.Sin(a * 0.6), -Math.Cos(a * 0.6), 0.06).Normalized();
            }

            var armR = 0.027 * h * Math.Pow(_fat, 0.5);
            var elbowR = 0.02 * h * Math.Pow(_fat, 0.4);
            var wristR = 0.0135 * h;
            var elbow = joint + (dir1 * upperArm);
            var wrist = elbow + (dir2 * forearm);
            meshes.Add(GridMesh.Tube(joint, elbow, armR, armR, elbowR, elbowR));
            meshes.Add(GridMesh.Tube(elbow, wrist, elbowR, elbowR, wristR * 1.3, wristR));
            var palm = (new Vector3d(0, 0, 1) - (Vector3d.Dot(new Vector3d(0, 0, 1), dir2) * dir2)).Normalized();
            var across = Vector3d.Cross(palm, dir2);
            meshes.Add(GridMesh.Ellipsoid(wrist + (dir2 * 0.045 * h), across, -dir2, palm, 0.012 * h, 0.055 * h, 0.03 * h));
        }

        // Neck and head (with hair); in the bend the neck flexes and the head hangs.
        var neckR = 0.034 * h * Math.Pow(_fat, 0.3);
        var neckDepth = 0.031 * h * Math.Pow(_fat, 0.3);
        var xNeck = CentreX(_spine.YC7);
        var zC7Skin = SurfaceZ(_spine.SpinousTips[0].X, _yC7Tip, CapturePose.Standing);
        var neckBase = new Vector3d(xNeck, 0.82 * h, zC7Skin - neckDepth - 6);
        var neckTop = new Vector3d(xNeck, 0.905 * h, neckBase.Z + (0.004 * h));
        var head = new Vector3d(xNeck, 0.935 * h, neckBase.Z + (0.008 * h));
        var hair = 6.0;
        var e1 = new Vector3d(1, 0, 0);
        var e2 = new Vector3d(0, 1, 0);
        var e3 = new Vector3d(0, 0, 1);
        var ponytail = head + new Vector3d(0, -0.035 * h, (0.058 * h) + hair + (0.012 * h));
        if (bend)
        {
            var baseBent = _spine.BendAttached(neckBase, 0);
            var theta = _spine.BendFrameRotation(0) + Smooth.Rad(-35);
            Vector3d Rot(Vector3d v)
            {
                var (s, c) = Math.SinCos(theta);
                return new Vector3d(v.X, (v.Y * c) - (v.Z * s), (v.Y * s) + (v.Z * c));
            }

            neckTop = baseBent + Rot(neckTop - neckBase);
            head = baseBent + Rot(head - neckBase);
            ponytail = baseBent + Rot(ponytail - neckBase);
            e2 = Rot(e2);
            e3 = Rot(e3);
            neckBase = baseBent;
        }

        meshes.Add(GridMesh.Tube(neckBase, neckTop, neckR, neckDepth, neckR, neckDepth));
        meshes.Add(GridMesh.Ellipsoid(head, e1, e2, e3, (0.047 * h) + hair, (0.066 * h) + hair, (0.058 * h) + hair));
        if (_p.Ponytail)
        {
            meshes.Add(GridMesh.Ellipsoid(ponytail, e1, e2, e3, 0.018 * h, 0.05 * h, 0.02 * h));
        }

        if (_p.LooseHair)
        {
            // Long loose hair: a sheet from the back of the head down over the neck, lying on the skin where it ends,
            // HairClearanceMm above C7's skin point (below it when negative, covering C7).
            var c7Skin = SkinOverTip(0, CapturePose.Standing);
            var endY = c7Skin.Y + _p.HairClearanceMm;
            var top = new Vector3d(xNeck, 0.905 * h, head.Z + (0.05 * h));
            var bottom = new Vector3d(xNeck, endY, SurfaceZ(xNeck, Math.Min(endY, _yTop), CapturePose.Standing) + 4);
            if (bend)
            {
                var topBent = _spine.BendAttached(top, 0);
                bottom = _spine.BendAttached(bottom, 0);
                top = topBent;
            }

            var along = bottom - top;
            var length = along.Length;
            var up = along * (-1 / length);
            var across = new Vector3d(1, 0, 0);
            var outward = Vector3d.Cross(across, up).Normalized(); // right-handed, as the meshes are wound for the camera
            meshes.Add(GridMesh.Ellipsoid((top + bottom) * 0.5, across, up, outward, 0.03 * h, (length / 2) + 10, 6));
        }

        return meshes;
    }

    private GridMesh BuildTorso(CapturePose pose)
    {
        var bend = pose == CapturePose.ForwardBend;
        var rows = (int)Math.Ceiling((_yTop - _yBottom) / RowStepMm) + 1;
        var maxHalfWidth = 0.0;
        for (var y = _yBottom; y <= _yTop; y += 5)
        {
            maxHalfWidth = Math.Max(maxHalfWidth, _width.Evaluate(y));
        }

        // Columns at x = xc + W sin(t): evenly spaced over the back, denser toward the steep flanks.
        var columns = (2 * (int)Math.Ceiling(Math.PI * maxHalfWidth / 2 / RowStepMm)) + 1;
        var mesh = new GridMesh(rows, columns);
        for (var r = 0; r < rows; r++)
        {
            var y = _yBottom + ((_yTop - _yBottom) * r / (rows - 1));
            var row = RowAt(y, bend);
            for (var c = 0; c < columns; c++)
            {
                var t = (Math.PI * c / (columns - 1)) - (Math.PI / 2);
                var x = row.Xc + (row.W * Math.Sin(t));
                if (c == (columns - 1) / 2)
                {
                    x = row.Xc;
                }

                var p = new Vector3d(x, y + Warp(x, y), Evaluate(row, x));
                mesh.Set(r, c, bend ? _spine.BendRow(p, y) : p);
            }
        }

        return mesh;
    }

    private Row RowAt(double y, bool bend)
    {
        var h = _h;
        var xc = CentreX(y);
        var w = _width.Evaluate(y);
        var d = _depth.Evaluate(y);
        var xs = _tipX.Evaluate(y);
        double zTip;
        if (y > _yC7Tip)
        {
            zTip = _zC7Tip - (0.5 * (y - _yC7Tip));
        }
        else if (y < _yS1Tip)
        {
            var below = Math.Min(_yS1Tip - y, 0.065 * h);
            zTip = _zS1Tip + (below * Math.Tan(Smooth.Rad(Math.Clamp(_spine.SacralSlopeDeg, 10, 60))));
        }
        else
        {
            zTip = _tipZ.Evaluate(y);
        }

        var groove = _groove.Evaluate(y);
        var zRef = zTip + _soft.Evaluate(y) + Math.Max(groove, 0);
        var lumbar = 1 - Smooth.Step(_spine.LevelY[13], _spine.LevelY[10], y);
        var paraspinal = ((3 + (3 * lumbar)) * (0.8 + (0.2 * _fat))) * Smooth.Step(_yPsis - 20, _yPsis + 30, y) * (1 - Smooth.Step(0.80 * h, 0.83 * h, y));
        var psi = Smooth.Rad(SurfaceRotationDeg(y, bend ? CapturePose.ForwardBend : CapturePose.Standing));
        var ribMask = Smooth.Step(0.64 * h, 0.67 * h, y) * (1 - Smooth.Step(0.76 * h, 0.79 * h, y));
        return new Row(y, xc, w, d, xs, zRef, groove, paraspinal, _spine.FrontalX(y), Math.Tan(psi), 0.055 * h, ribMask, bend);
    }

    private double Evaluate(in Row row, double x)
    {
        var h = _h;
        var y = row.Y;
        var u = Math.Min(Math.Abs(x - row.Xc) / row.W, 1);
        const double n = 2.6;
        var z = row.ZRef - (row.D * (1 - Math.Pow(1 - Math.Pow(u, n), 1 / n)));

        // Spinous-process groove (a ridge at C7/T1) and the paraspinal muscles either side.
        var dx = x - row.Xs;
        z -= row.Groove * Smooth.Gauss(dx, 0.0065 * h);
        var spread = 0.022 * h;
        var asymmetry = _p.Coupling.ParaspinalAsymmetry;
        z += row.Paraspinal * (((1 + asymmetry) * Smooth.Gauss(dx - spread, 0.013 * h)) + ((1 - asymmetry) * Smooth.Gauss(dx + spread, 0.013 * h)));

        // Scapulae.
        var (superior, inferior, lateral) = ScapulaCorners(row.Bend);
        var local = new Vector2d(Math.Abs(x - row.Xc), y);
        var sd = SignedDistance(local, superior, inferior, lateral);
        var scapula = _scapulaHeight * (row.Bend ? 0.7 : 1.0) * Smooth.Step(-4, 12, sd);
        z += scapula;

        // Ribs: faint ripples running down and out, on slim children.
        if (row.RibMask > 0 && _ribAmplitude > 0)
        {
            var ax = Math.Abs(dx);
            var mask = row.RibMask * Smooth.Step(30, 50, ax) * (1 - Smooth.Step(0.75 * row.W, 0.95 * row.W, Math.Abs(x - row.Xc)))
                * (1 - Smooth.Step(-4, 4, sd));
            z += _ribAmplitude * mask * Math.Cos(2 * Math.PI * (y + (0.4 * ax)) / (0.016 * h));
        }

        // Lumbar dimples over the posterior superior iliac spines.
        var dimpleX = 0.03 * h;
        var dimpleY = y - _yPsis;
        var sigma = 0.0065 * h;
        z -= _dimpleDepth * (Smooth.Gauss(x - row.Xc - dimpleX, sigma) + Smooth.Gauss(x - row.Xc + dimpleX, sigma)) * Smooth.Gauss(dimpleY, sigma);

        // Rib hump / lumbar prominence: the cross-section turned about the vertebral body, fading toward the flanks.
        z += row.Wh * row.TanPsi * Math.Tanh((x - row.Xb) / row.Wh);

        // A sports-bra or bikini band across the mid back: stretched over the spinous groove, standing off the skin.
        if (_p.Clothes.Band && y > _yBandLow - 3 && y < _yBandHigh + 3)
        {
            var inBand = Smooth.Step(_yBandLow - 2, _yBandLow + 2, y) * (1 - Smooth.Step(_yBandHigh - 2, _yBandHigh + 2, y));
            z += inBand * ((Math.Max(row.Groove, 0) * Smooth.Gauss(dx, 0.0065 * h)) + _p.Clothes.BandProudMm);
        }

        if (_p.Clothes.Band && _p.Clothes.Straps && y >= _yBandHigh && y < 0.82 * h)
        {
            var across = Math.Abs(x - row.Xc);
            z += StrapProudMm * Smooth.Step(0.040 * h, 0.043 * h, across) * (1 - Smooth.Step(0.052 * h, 0.055 * h, across));
        }

        // Buttocks and shorts.
        if (y < _yButtocksTop)
        {
            z = Buttocks(x, y, z);
        }

        return z;
    }

    private double Buttocks(double x, double y, double torso)
    {
        var h = _h;
        var rx = 0.055 * h * Math.Sqrt(_fat);
        var ry = 0.075 * h;
        var rz = 0.09 * h * Math.Sqrt(_fat);
        var top = _spine.ZS1 + (0.072 * h * Math.Pow(_fat, 0.8));
        var centreZ = top - rz;
        var cy = 0.49 * h;
        var band = _yBand;
        var shorts = y < band;
        var proud = _p.Clothes.WaistbandProudMm;
        double Lobe(double cx)
        {
            var a = (x - cx) / rx;
            var b = (y - cy) / ry;
            var q = 1 - (a * a) - (b * b);
            return q <= 0 ? -1e6 : centreZ + (rz * q);
        }

        var left = Lobe(-0.045 * h);
        var right = Lobe(0.045 * h);
        var gluteal = Smooth.Max(left, right, shorts ? 30 : 4);
        var z = Smooth.Max(torso, gluteal, 20);
        if (shorts)
        {
            z += proud;
            if (y > band - 30)
            {
                z += 2.5 * Smooth.Step(band - 30, band - 27, y) * (1 - Smooth.Step(band - 2, band, y));
            }
        }

        return z;
    }

    private (Vector2d Superior, Vector2d Inferior, Vector2d Lateral) ScapulaCorners(bool bend)
    {
        var h = _h;
        var shift = bend ? 0.012 * h : 0;
        return (new Vector2d((0.040 * h) + shift, 0.795 * h), new Vector2d((0.052 * h) + shift, 0.705 * h), new Vector2d((0.092 * h) + shift, 0.77 * h));
    }

    private static double SignedDistance(Vector2d p, Vector2d a, Vector2d b, Vector2d c)
    {
        var d = Math.Min(SegmentDistance(p, a, b), Math.Min(SegmentDistance(p, b, c), SegmentDistance(p, c, a)));
        var s1 = Cross(b - a, p - a);
        var s2 = Cross(c - b, p - b);
        var s3 = Cross(a - c, p - c);
        var inside = (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
        return inside ? d : -d;
    }

    private static double Cross(Vector2d a, Vector2d b) => (a.X * b.Y) - (a.Y * b.X);

    private static double SegmentDistance(Vector2d p, Vector2d a, Vector2d b)
    {
        var ab = b - a;
        var t = Math.Clamp((((p.X - a.X) * ab.X) + ((p.Y - a.Y) * ab.Y)) / ((ab.X * ab.X) + (ab.Y * ab.Y)), 0, 1);
        return (p - (a + (ab * t))).Length;
    }
}
