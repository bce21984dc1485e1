using System.Buffers;

namespace SpineScan.Core.Depth;

/// <summary>
/// One depth image over a pooled grid of <see cref="ushort"/> (<see cref="PooledGrid{T}"/>). A pixel value of
/// <see cref="NoMeasurement"/> means the sensor returned nothing there; metres = value x <see cref="DepthScaleM"/>.
/// The frame owns its buffer and returns it to the pool on <see cref="Dispose"/>.
/// </summary>
public sealed class DepthFrame : IDisposable
{
    /// <summary>The value a depth pixel holds where the sensor measured nothing.</summary>
    public const ushort NoMeasurement = 0;

    private readonly PooledGrid<ushort> _pixels;

    private DepthFrame(PooledGrid<ushort> pixels, double depthScaleM, double timestampMs)
    {
        _pixels = pixels;
        DepthScaleM = depthScaleM;
        TimestampMs = timestampMs;
    }

    public int Width => _pixels.Width;

    public int Height => _pixels.Height;

    /// <summary>Distance in pixels between the starts of two rows (at least <see cref="Width"/>).</summary>
    public int Stride => _pixels.Stride;

    /// <summary>Metres per depth unit (0.001 for millimetre depth).</summary>
    public double DepthScaleM { get; }

    public double TimestampMs { get; }

    /// <summary>Millimetres per depth unit.</summary>
    public double DepthScaleMm => DepthScaleM * 1000.0;

    /// <summary>Allocates a zeroed frame from the shared pool.</summary>
    public static DepthFrame Create(int width, int height, double depthScaleM, double timestampMs = 0)
    {
        ValidateShape(width, height, depthScaleM);
        return new DepthFrame(PooledGrid.Rent<ushort>(width, height, clear: true), depthScaleM, timestampMs);
    }

    /// <summary>Takes ownership of <paramref name="owner"/>, whose memory holds <paramref name="height"/> rows of <paramref name="stride"/> pixels.</summary>
    public static DepthFrame Wrap(IMemoryOwner<ushort> owner, int width, int height, int stride, double depthScaleM, double timestampMs = 0)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ValidateShape(width, height, depthScaleM);
        return new DepthFrame(PooledGrid.Wrap<ushort>(owner, width, height, stride), depthScaleM, timestampMs);
    }

    /// <summary>All pixels, row after row, with stride gaps.</summary>
    public Span<ushort> Pixels => _pixels.Cells;

    /// <summary>One row: a single bounds check, then index freely.</summary>
    public Span<ushort> Row(int y) => _pixels.Row(y);

    public ushort this[int x, int y] => Row(y)[x];

    /// <summary>Depth of a pixel in millimetres, or 0 where nothing was measured.</summary>
    public double DepthMmAt(int x, int y) => Row(y)[x] * DepthScaleMm;

    /// <summary>Counts pixels that hold a measurement.</summary>
    public int CountValid()
    {
        var count = 0;
        for (var y = 0; y < Height; y++)
        {
            var row = Row(y);
            for (var x = 0; x < row.Length; x++)
            {
                if (row[x] != NoMeasurement)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>A deep copy on a fresh pooled buffer.</summary>
    public DepthFrame Clone()
    {
        var copy = Create(Width, Height, DepthScaleM, TimestampMs);
        for (var y = 0; y < Height; y++)
        {
            Row(y).CopyTo(copy.Row(y));
        }

        return copy;
    }

    public void Dispose() => _pixels.Dispose();

    private static void ValidateShape(int width, int height, double depthScaleM)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!double.IsFinite(depthScaleM) || depthScaleM <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depthScaleM), depthScaleM, "The depth scale must be a positive number of metres.");
        }
    }
}
