using System.Globalization;
using OpenCvSharp;
using SpineScan.Core.Calibration;

namespace SpineScan.Imaging.Calibration;

/// <summary>
/// The chessboard calibration of 8-bit infrared PNG images with OpenCV: FindChessboardCorners, CornerSubPix, CalibrateCamera
/// (k1, k2, p1, p2, k3). Images the board is not found in are rejected and named; fewer than
/// <see cref="MinViews"/> usable views, a size other than the depth stream's or an unreadable file is a
/// <see cref="CalibrationInputException"/> that says what to do.
/// </summary>
public sealed class OpenCvChessboardCalibrator : IChessboardCalibrator
{
    public const int MinViews = 3;

    public ChessboardCalibration Calibrate(IReadOnlyList<string> imagePaths, ChessboardPattern pattern, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentNullException.ThrowIfNull(pattern);
        var size = new Size(pattern.Cols, pattern.Rows);
        var board = new List<Point3f>(pattern.Cols * pattern.Rows);
        for (var r = 0; r < pattern.Rows; r++)
        {
            for (var c = 0; c < pattern.Cols; c++)
            {
                board.Add(new Point3f((float)(c * pattern.SquareMm), (float)(r * pattern.SquareMm), 0));
            }
        }

        var views = new List<ChessboardView>();
        var objectPoints = new List<Mat>();
        var imagePoints = new List<Mat>();
        try
        {
            foreach (var path in imagePaths)
            {
                var name = Path.GetFileName(path);
                using var image = Read(path);
                if (image.Width != width || image.Height != height)
                {
                    throw new CalibrationInputException(Invariant($"The chessboard image {name} is {image.Width}x{image.Height} but the depth stream's intrinsics are for {width}x{height}: capture the infrared views at the depth stream's resolution."));
                }

                if (!Cv2.FindChessboardCorners(image, size, out var corners, ChessboardFlags.AdaptiveThresh | ChessboardFlags.NormalizeImage | ChessboardFlags.FastCheck))
                {
                    views.Add(new ChessboardView(name, false, Invariant($"no {pattern.Cols}x{pattern.Rows} chessboard found")));
                    continue;
                }

                var refined = Cv2.CornerSubPix(image, corners, new Size(5, 5), new Size(-1, -1), new TermCriteria(CriteriaTypes.Eps | CriteriaTypes.MaxIter, 50, 0.001));
                imagePoints.Add(Mat.FromArray(refined));
                objectPoints.Add(Mat.FromArray(board.ToArray()));
                views.Add(new ChessboardView(name, true, null));
            }

            if (imagePoints.Count < MinViews)
            {
                throw new CalibrationInputException(Invariant(
                    $"The chessboard ({pattern}) was found in {imagePoints.Count} of {imagePaths.Count} infrared images; at least {MinViews} are needed (10 to 20 recommended): hold the whole board in view at different angles (tilted up to 30 degrees each way) and places, filling more of the picture, and check --chessboard-size counts inner corners."));
            }

            using var cameraMatrix = new Mat();
            using var distortion = new Mat();
            var rms = Cv2.CalibrateCamera(objectPoints, imagePoints, new Size(width, height), cameraMatrix, distortion, out var rvecs, out var tvecs);
            foreach (var m in rvecs.Concat(tvecs))
            {
                m.Dispose();
            }

            var k = new double[5];
            for (var i = 0; i < Math.Min(5, distortion.Total()); i++)
            {
                k[i] = distortion.At<double>(i);
            }

            return new ChessboardCalibration(width, height, cameraMatrix.At<double>(0, 0), cameraMatrix.At<double>(1, 1), cameraMatrix.At<double>(0, 2), cameraMatrix.At<double>(1, 2), k, rms, pattern, views);
        }
        finally
        {
            foreach (var m in objectPoints.Concat(imagePoints))
            {
                m.Dispose();
            }
        }
    }

    /// <summary>Writes an 8-bit grey image (row-major, <paramref name="width"/> x <paramref name="height"/>) as a PNG file.</summary>
    public static void WritePng(string path, ReadOnlySpan<byte> pixels, int width, int height)
    {
        using var mat = new Mat(height, width, MatType.CV_8UC1);
        pixels.CopyTo(mat.AsSpan<byte>());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Cv2.ImEncode(".png", mat, out var bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static Mat Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CalibrationInputException($"The chessboard image {path} cannot be read ({e.Message}): give a folder of PNG files.");
        }

        var mat = bytes.Length == 0 ? new Mat() : Cv2.ImDecode(bytes, ImreadModes.Grayscale);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new CalibrationInputException($"The chessboard image {path} is not a readable image: give 8-bit infrared PNG files.");
        }

        return mat;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
