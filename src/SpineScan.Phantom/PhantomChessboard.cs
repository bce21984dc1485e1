using SpineScan.Core.Calibration;
using SpineScan.Core.Depth;

namespace SpineScan.Phantom;

/// <summary>
/// Synthetic 8-bit infrared views of a planar chessboard seen by a camera with the given intrinsics (its Brown-Conrady
/// distortion included): per pixel the camera's ray meets the board plane (2x2 supersampled), the square's parity gives
/// dark or light, a white margin of one square frames the board, then a little Gaussian noise. Pure: images in memory.
/// </summary>
public static class PhantomChessboard
{
    /// <summary>Renders <paramref name="views"/> poses (tilted up to about 30 degrees, spread across the picture) of the board.</summary>
    public static IReadOnlyList<byte[]> Render(CameraIntrinsics camera, ChessboardPattern pattern, int views, int seed, double noiseSd = 2)
    {
        ArgumentNullException.ThrowIfNull(camera);
        ArgumentNullException.ThrowIfNull(pattern);
        var random = new Random(seed);
        var boardW = (pattern.Cols + 1) * pattern.SquareMm;
        var boardH = (pattern.Rows + 1) * pattern.SquareMm;
        // Distance at which the board spans about 60 % of the picture's width.
        var distance = camera.Fx * boardW / (0.6 * camera.Width);
        var images = new List<byte[]>(views);
        for (var i = 0; i < views; i++)
        {
            var tiltX = (random.NextDouble() - 0.5) * 60 * Math.PI / 180;
            var tiltY = (random.NextDouble() - 0.5) * 60 * Math.PI / 180;
            var spin = (random.NextDouble() - 0.5) * 20 * Math.PI / 180;
            var z = distance * (0.9 + (0.3 * random.NextDouble()));
            var halfU = 0.18 * camera.Width * z / camera.Fx;
            var halfV = 0.15 * camera.Height * z / camera.Fy;
            var tx = (random.NextDouble() - 0.5) * 2 * halfU;
            var ty = (random.NextDouble() - 0.5) * 2 * halfV;
            images.Add(RenderView(camera, pattern, Rotation(tiltX, tiltY, spin), [tx, ty, z], boardW, boardH, noiseSd, random));
        }

        return images;
    }

    private static byte[] RenderView(CameraIntrinsics camera, ChessboardPattern pattern, double[,] r, double[] centre, double boardW, double boardH, double noiseSd, Random random)
    {
        // Board frame: origin at the board's centre, axes r's columns 0 and 1, normal column 2.
        double nx = r[0, 2], ny = r[1, 2], nz = r[2, 2];
        var nDotT = (nx * centre[0]) + (ny * centre[1]) + (nz * centre[2]);
        var pixels = new byte[camera.Width * camera.Height];
        var sq = pattern.SquareMm;
        var squaresX = pattern.Cols + 1;
        var squaresY = pattern.Rows + 1;
        for (var v = 0; v < camera.Height; v++)
        {
            for (var u = 0; u < camera.Width; u++)
            {
                double sum = 0;
                for (var s = 0; s < 4; s++)
                {
                    var (x, y) = camera.NormalizedRay(u - 0.25 + (0.5 * (s & 1)), v - 0.25 + (0.5 * (s >> 1)));
                    var t = nDotT / ((nx * x) + (ny * y) + nz);
                    double px = (x * t) - centre[0], py = (y * t) - centre[1], pz = t - centre[2];
                    var bx = (r[0, 0] * px) + (r[1, 0] * py) + (r[2, 0] * pz) + (boardW / 2);
                    var by = (r[0, 1] * px) + (r[1, 1] * py) + (r[2, 1] * pz) + (boardH / 2);
                    double grey;
                    if (t <= 0 || bx < -sq || by < -sq || bx > boardW + sq || by > boardH + sq)
                    {
                        grey = 70; // the hall behind
                    }
                    else if (bx < 0 || by < 0 || bx >= boardW || by >= boardH)
                    {
                        grey = 210; // the white margin
                    }
                    else
                    {
                        var cx = Math.Min(squaresX - 1, (int)(bx / sq));
                        var cy = Math.Min(squaresY - 1, (int)(by / sq));
                        grey = ((cx + cy) & 1) == 0 ? 25 : 210;
                    }

                    sum += grey;
                }

                var value = (sum / 4) + (noiseSd * random.NextGaussian());
                pixels[(v * camera.Width) + u] = (byte)Math.Clamp(Math.Round(value), 0, 255);
            }
        }

        return pixels;
    }

    private static double[,] Rotation(double ax, double ay, double az)
    {
        double cx = Math.Cos(ax), sx = Math.Sin(ax), cy = Math.Cos(ay), sy = Math.Sin(ay), cz = Math.Cos(az), sz = Math.Sin(az);
        double[,] rx = { { 1, 0, 0 }, { 0, cx, -sx }, { 0, sx, cx } };
        double[,] ry = { { cy, 0, sy }, { 0, 1, 0 }, { -sy, 0, cy } };
        double[,] rz = { { cz, -sz, 0 }, { sz, cz, 0 }, { 0, 0, 1 } };
        return Multiply(Multiply(ry, rx), rz);
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                for (var k = 0; k < 3; k++)
                {
                    m[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return m;
    }
}
