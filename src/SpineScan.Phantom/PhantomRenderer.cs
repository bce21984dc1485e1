using System.Buffers;
using System.Numerics.Tensors;
using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>
/// Renders depth frames of the phantom scene: the floor (Y = 0) and the wall the child faces (Z = wall) by ray casting,
/// the body meshes by z-buffered triangle rasterisation (depth interpolated perspective-correctly), then the sensor:
/// dropouts at grazing incidence, flying and missing pixels at silhouette edges, Gaussian depth noise growing with
/// z^2, range limits and quantisation to the depth unit, and the camera's further effects when the child has them
/// (<see cref="SensorEffectsModel"/>: depth bias, stereo's correlated disparity noise, subpixel terracing, invalid band
/// and shadows, time of flight's multipath and row offsets). Lens distortion comes with the intrinsics: vertices are
/// projected through it and background rays undistorted; a lens whose model folds over inside the image sees nothing
/// beyond the fold. One instance per capture: it keeps the static background and the per-frame buffers.
/// </summary>
internal sealed class PhantomRenderer : IDisposable
{
    private readonly CameraIntrinsics _intrinsics;
    private readonly PhantomCameraPose _camera;
    private readonly NoiseParameters _noise;
    private readonly bool _noiseFree;
    private readonly float[] _backgroundDepth;
    private readonly float[] _backgroundCos;
    private readonly double _foldRadius2;
    private readonly SensorEffectsModel? _effects;
    private readonly float[]? _noiseField;
    private readonly float[]? _extraDepth;
    private readonly bool[]? _holes;
    private readonly float[]? _rowOffsets;
    private readonly float _depthScale;

    public PhantomRenderer(CameraIntrinsics intrinsics, PhantomCameraPose camera, NoiseParameters noise, bool noiseFree, double wallZ, SensorEffectsModel? effects = null, double depthScaleError = 0)
    {
        _depthScale = (float)(1 + depthScaleError);
        _intrinsics = intrinsics;
        _camera = camera;
        _noise = noise;
        _noiseFree = noiseFree;
        _effects = effects;
        _foldRadius2 = FoldRadiusSquared(intrinsics);
        var count = intrinsics.Width * intrinsics.Height;
        _backgroundDepth = new float[count];
        _backgroundCos = new float[count];
        if (effects is not null)
        {
            _noiseField = effects.Correlated is null ? null : ArrayPool<float>.Shared.Rent(count);
            _extraDepth = effects.Bias is null && effects.MultipathGain == 0 ? null : ArrayPool<float>.Shared.Rent(count);
            _holes = effects.NeedsMask ? ArrayPool<bool>.Shared.Rent(count) : null;
            _rowOffsets = effects.RowNoiseMm > 0 ? ArrayPool<float>.Shared.Rent(intrinsics.Height) : null;
        }

        // Planes in camera coordinates: n . P = d. Floor: world Y = 0, wall: world Z = wallZ.
        var floorNormal = new Vector3d(camera.Right.Y, camera.Down.Y, camera.Forward.Y);
        var floorD = -camera.Position.Y;
        var wallNormal = new Vector3d(camera.Right.Z, camera.Down.Z, camera.Forward.Z);
        var wallD = wallZ - camera.Position.Z;
        for (var v = 0; v < intrinsics.Height; v++)
        {
            for (var u = 0; u < intrinsics.Width; u++)
            {
                var (rx, ry) = intrinsics.NormalizedRay(u, v);
                var ray = new Vector3d(rx, ry, 1);
                var best = double.PositiveInfinity;
                double cos = 0;
                if (!double.IsFinite(_foldRadius2) || SeesThrough(intrinsics, u, v, rx, ry, _foldRadius2))
                {
                    Hit(ray, floorNormal, floorD, ref best, ref cos);
                    Hit(ray, wallNormal, wallD, ref best, ref cos);
                }

                var i = (v * intrinsics.Width) + u;
                _backgroundDepth[i] = (float)best;
                _backgroundCos[i] = (float)cos;
            }
        }
    }

    public void Dispose()
    {
        if (_noiseField is not null)
        {
            ArrayPool<float>.Shared.Return(_noiseField);
        }

        if (_extraDepth is not null)
        {
            ArrayPool<float>.Shared.Return(_extraDepth);
        }

        if (_holes is not null)
        {
            ArrayPool<bool>.Shared.Return(_holes);
        }

        if (_rowOffsets is not null)
        {
            ArrayPool<float>.Shared.Return(_rowOffsets);
        }
    }

    /// <summary>
    /// Where the lens model folds over: the smallest r^2 (normalised, undistorted) at which the radial distortion stops
    /// growing with r (d(r (1 + k1 r^2 + k2 r^4 + k3 r^6)) / dr = 0); infinity when it never does within reach.
    /// </summary>
    internal static double FoldRadiusSquared(CameraIntrinsics intrinsics)
    {
        if (intrinsics.Model == DistortionModel.None || (intrinsics.K1 == 0 && intrinsics.K2 == 0 && intrinsics.K3 == 0))
        {
            return double.PositiveInfinity;
        }

        for (var s = 0.0; s <= 16; s += 0.001)
        {
            if (1 + (3 * intrinsics.K1 * s) + (5 * intrinsics.K2 * s * s) + (7 * intrinsics.K3 * s * s * s) <= 0)
            {
                return s;
            }
        }

        return double.PositiveInfinity;
    }

    // A pixel sees the scene when its ray lies inside the fold and projects back onto the pixel (beyond the fold the
    // polynomial has no inverse: a real lens of that model would image nothing there).
    private static bool SeesThrough(CameraIntrinsics intrinsics, int u, int v, double rx, double ry, double foldRadius2)
    {
        if ((rx * rx) + (ry * ry) >= foldRadius2)
        {
            return false;
        }

        var back = intrinsics.Project(new Vector3d(rx, ry, 1));
        return Math.Abs(back.X - u) < 0.01 && Math.Abs(back.Y - v) < 0.01;
    }

    /// <summary>Renders one frame; <paramref name="sway"/> moves the body (mm, body coordinates); <paramref name="seed"/> draws the noise.</summary>
    public DepthFrame Render(IReadOnlyList<GridMesh> meshes, Vector3d sway, ulong seed, double timestampMs)
    {
        var width = _intrinsics.Width;
        var height = _intrinsics.Height;
        var count = width * height;
        var depth = ArrayPool<float>.Shared.Rent(count);
        var cosines = ArrayPool<float>.Shared.Rent(count);
        try
        {
            _backgroundDepth.AsSpan().CopyTo(depth);
            _backgroundCos.AsSpan().CopyTo(cosines);
            for (var m = 0; m < meshes.Count; m++)
            {
                Rasterize(meshes[m], sway, depth, cosines);
            }

            var frame = DepthFrame.Create(width, height, _noise.DepthScaleM, timestampMs);
            if (_depthScale != 1f)
            {
                // A depth scale error: the camera reads every true depth this much long (before its noise and bias).
                TensorPrimitives.Multiply(depth.AsSpan(0, count), _depthScale, depth.AsSpan(0, count));
            }

            PrepareEffects(depth.AsSpan(0, count), seed);
            ApplySensor(frame, depth.AsSpan(0, count), cosines.AsSpan(0, count), seed);
            return frame;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(depth);
            ArrayPool<float>.Shared.Return(cosines);
        }
    }

    private static void Hit(Vector3d ray, Vector3d normal, double d, ref double best, ref double cos)
    {
        var denominator = Vector3d.Dot(normal, ray);
        if (Math.Abs(denominator) < 1e-9)
        {
            return;
        }

        var z = d / denominator;
        if (z > 1 && z < best)
        {
            best = z;
            cos = Math.Abs(denominator) / ray.Length;
        }
    }

    private void Rasterize(GridMesh mesh, Vector3d sway, float[] depth, float[] cosines)
    {
        var n = mesh.VertexCount;
        var pu = ArrayPool<double>.Shared.Rent(n);
        var pv = ArrayPool<double>.Shared.Rent(n);
        var cx = ArrayPool<double>.Shared.Rent(n);
        var cy = ArrayPool<double>.Shared.Rent(n);
        var cz = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var r = _camera.Right;
            var d = _camera.Down;
            var f = _camera.Forward;
            var origin = _camera.Position - sway;
            var xs = mesh.X;
            var ys = mesh.Y;
            var zs = mesh.Z;
            for (var i = 0; i < n; i++)
            {
                var wx = xs[i] - origin.X;
                var wy = ys[i] - origin.Y;
                var wz = zs[i] - origin.Z;
                var x = (wx * r.X) + (wy * r.Y) + (wz * r.Z);
                var y = (wx * d.X) + (wy * d.Y) + (wz * d.Z);
                var z = (wx * f.X) + (wy * f.Y) + (wz * f.Z);
                cx[i] = x;
                cy[i] = y;
                cz[i] = z;
                if (z > 1 && (((x * x) + (y * y)) / (z * z)) >= _foldRadius2)
                {
                    cz[i] = -1; // beyond the lens model's fold: culls every triangle it belongs to
                }
                else if (z > 1)
                {
                    var pixel = _intrinsics.Project(new Vector3d(x, y, z));
                    pu[i] = pixel.X;
                    pv[i] = pixel.Y;
                }
            }

            var columns = mesh.Columns;
            for (var row = 0; row < mesh.Rows - 1; row++)
            {
                for (var c = 0; c < columns - 1; c++)
                {
                    var i00 = (row * columns) + c;
                    var i01 = i00 + 1;
                    var i10 = i00 + columns;
                    var i11 = i10 + 1;
                    Triangle(i00, i10, i01, pu, pv, cx, cy, cz, depth, cosines);
                    Triangle(i10, i11, i01, pu, pv, cx, cy, cz, depth, cosines);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pu);
            ArrayPool<double>.Shared.Return(pv);
            ArrayPool<double>.Shared.Return(cx);
            ArrayPool<double>.Shared.Return(cy);
            ArrayPool<double>.Shared.Return(cz);
        }
    }

    private void Triangle(int a, int b, int c, double[] pu, double[] pv, double[] cx, double[] cy, double[] cz, float[] depth, float[] cosines)
    {
        var za = cz[a];
        var zb = cz[b];
        var zc = cz[c];
        if (za <= 10 || zb <= 10 || zc <= 10)
        {
            return;
        }

        double ua = pu[a], va = pv[a], ub = pu[b], vb = pv[b], uc = pu[c], vc = pv[c];

        // Every mesh is wound so that triangles facing the camera have a positive screen area: cull the rest.
        var area = ((ub - ua) * (vc - va)) - ((uc - ua) * (vb - va));
        if (area <= 1e-12)
        {
            return;
        }

        var width = _intrinsics.Width;
        var height = _intrinsics.Height;
        var minU = Math.Max(0, (int)Math.Ceiling(Math.Min(ua, Math.Min(ub, uc))));
        var maxU = Math.Min(width - 1, (int)Math.Floor(Math.Max(ua, Math.Max(ub, uc))));
        if (minU > maxU)
        {
            return;
        }

        var minV = Math.Max(0, (int)Math.Ceiling(Math.Min(va, Math.Min(vb, vc))));
        var maxV = Math.Min(height - 1, (int)Math.Floor(Math.Max(va, Math.Max(vb, vc))));
        if (minV > maxV)
        {
            return;
        }

        var cos = -1f;
        var inverseArea = 1.0 / area;
        const double epsilon = -1e-7;
        for (var v = minV; v <= maxV; v++)
        {
            var rowStart = v * width;
            for (var u = minU; u <= maxU; u++)
            {
                var w0 = (((ub - u) * (vc - v)) - ((uc - u) * (vb - v))) * inverseArea;
                var w1 = (((uc - u) * (va - v)) - ((ua - u) * (vc - v))) * inverseArea;
                var w2 = 1 - w0 - w1;
                if (w0 < epsilon || w1 < epsilon || w2 < epsilon)
                {
                    continue;
                }

                var z = (float)(1.0 / ((w0 / za) + (w1 / zb) + (w2 / zc)));
                var index = rowStart + u;
                if (z < depth[index])
                {
                    if (cos < 0)
                    {
                        cos = Incidence(a, b, c, cx, cy, cz);
                    }

                    depth[index] = z;
                    cosines[index] = cos;
                }
            }
        }
    }

    // Incidence: the triangle's normal against the view ray to its centroid (|cos|).
    private static float Incidence(int a, int b, int c, double[] cx, double[] cy, double[] cz)
    {
        var e1x = cx[b] - cx[a];
        var e1y = cy[b] - cy[a];
        var e1z = cz[b] - cz[a];
        var e2x = cx[c] - cx[a];
        var e2y = cy[c] - cy[a];
        var e2z = cz[c] - cz[a];
        var nx = (e1y * e2z) - (e1z * e2y);
        var ny = (e1z * e2x) - (e1x * e2z);
        var nz = (e1x * e2y) - (e1y * e2x);
        var gx = cx[a] + cx[b] + cx[c];
        var gy = cy[a] + cy[b] + cy[c];
        var gz = cz[a] + cz[b] + cz[c];
        var nn = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz)) * Math.Sqrt((gx * gx) + (gy * gy) + (gz * gz));
        return nn > 0 ? (float)(Math.Abs((nx * gx) + (ny * gy) + (nz * gz)) / nn) : 0f;
    }

    // The frame's effects that need the whole z-buffer before the per-pixel pass: the stereo holes, the static bias plus
    // the multipath of this frame's geometry, the correlated noise field and the row offsets.
    private void PrepareEffects(ReadOnlySpan<float> depth, ulong seed)
    {
        if (_effects is not { } effects)
        {
            return;
        }

        var width = _intrinsics.Width;
        var height = _intrinsics.Height;
        var count = width * height;
        if (_holes is not null)
        {
            effects.MarkStereoHoles(depth, width, height, _holes.AsSpan(0, count));
        }

        if (_extraDepth is not null)
        {
            var extra = _extraDepth.AsSpan(0, count);
            if (effects.MultipathGain > 0)
            {
                effects.Multipath(depth, width, height, extra);
            }
            else
            {
                extra.Clear();
            }

            if (effects.Bias is { } bias)
            {
                for (var i = 0; i < count; i++)
                {
                    extra[i] += bias[i];
                }
            }
        }

        effects.Correlated?.Fill(PhantomSeeds.Mix(seed ^ 0xC0441E1A7EDUL), width, height, _noiseField.AsSpan(0, count));
        if (_rowOffsets is not null)
        {
            effects.RowOffsets(seed, _rowOffsets.AsSpan(0, height));
        }
    }

    private void ApplySensor(DepthFrame frame, ReadOnlySpan<float> depth, ReadOnlySpan<float> cosines, ulong seed)
    {
        var width = frame.Width;
        var height = frame.Height;
        var unitMm = frame.DepthScaleMm;
        var noise = _noise;
        var random = new PixelRandom(seed);
        var cosStart = Math.Cos(noise.DropoutStartDeg * Math.PI / 180);
        var cosFull = Math.Cos(noise.DropoutFullDeg * Math.PI / 180);
        var sigmaScale = noise.SigmaAt1mMm;
        var exponent = noise.SigmaDistanceExponent;
        var squareLaw = exponent == 2.0;
        var effects = _effects;
        var holes = _holes;
        var extra = _extraDepth;
        var field = _noiseField;
        var disparity = effects is not null && (effects.Stereo & StereoArtefacts.SubpixelDisparity) != 0;
        var focalBaseline = effects?.FocalBaselinePxMm ?? 0;
        var sigmaDisparity = effects?.SigmaDisparityPx ?? 0;
        for (var v = 0; v < height; v++)
        {
            var row = frame.Row(v);
            var rowStart = v * width;
            var rowOffset = _rowOffsets is null ? 0 : _rowOffsets[v];
            for (var u = 0; u < width; u++)
            {
                var i = rowStart + u;
                double z = depth[i];
                if (!(z < float.PositiveInfinity) || (holes is not null && holes[i]))
                {
                    row[u] = DepthFrame.NoMeasurement;
                    continue;
                }

                if (extra is not null)
                {
                    z += extra[i];
                }

                if (!_noiseFree)
                {
                    var cos = cosines[i];
                    if (cos < cosFull)
                    {
                        row[u] = DepthFrame.NoMeasurement;
                        continue;
                    }

                    if (cos < cosStart && random.NextDouble() < (cosStart - cos) / (cosStart - cosFull))
                    {
                        row[u] = DepthFrame.NoMeasurement;
                        continue;
                    }

                    if (random.NextDouble() < noise.RandomDropoutProbability)
                    {
                        row[u] = DepthFrame.NoMeasurement;
                        continue;
                    }

                    // Silhouette edge: this pixel is in front of a neighbour by more than the jump.
                    double far = z;
                    if (u > 0)
                    {
                        far = Math.Max(far, depth[i - 1]);
                    }

                    if (u < width - 1)
                    {
                        far = Math.Max(far, depth[i + 1]);
                    }

                    if (v > 0)
                    {
                        far = Math.Max(far, depth[i - width]);
                    }

                    if (v < height - 1)
                    {
                        far = Math.Max(far, depth[i + width]);
                    }

                    if (far - z > noise.EdgeJumpMm && far < float.PositiveInfinity)
                    {
                        var r = random.NextDouble();
                        if (r < noise.FlyingPixelProbability)
                        {
                            z += (0.1 + (0.8 * random.NextDouble())) * (far - z);
                        }
                        else if (r < noise.FlyingPixelProbability + noise.EdgeDropoutProbability)
                        {
                            row[u] = DepthFrame.NoMeasurement;
                            continue;
                        }
                    }

                    var standard = field is null ? random.NextGaussian() : field[i];
                    if (disparity)
                    {
                        // Active stereo measures disparity d = f B / z: the noise and the matcher's subpixel step are there.
                        var d = (focalBaseline / z) + (sigmaDisparity * standard);
                        d = Math.Round(d / SensorEffectsModel.SubpixelStepPx) * SensorEffectsModel.SubpixelStepPx;
                        if (d <= 0)
                        {
                            row[u] = DepthFrame.NoMeasurement;
                            continue;
                        }

                        z = focalBaseline / d;
                    }
                    else
                    {
                        var metres = z * 0.001;
                        var sigma = sigmaScale * (squareLaw ? metres * metres : Math.Pow(metres, exponent));
                        z += sigma * standard;
                    }

                    z += rowOffset;
                }

                if (z < noise.MinRangeMm || z > noise.MaxRangeMm)
                {
                    row[u] = DepthFrame.NoMeasurement;
                    continue;
                }

                var units = Math.Round(z / unitMm);
                row[u] = units >= ushort.MaxValue ? DepthFrame.NoMeasurement : (ushort)Math.Max(1, units);
            }
        }
    }
}
