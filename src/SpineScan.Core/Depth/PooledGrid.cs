using System.Buffers;

namespace SpineScan.Core.Depth;

/// <summary>
/// A 2D grid of <typeparamref name="T"/> over a pooled buffer: width, height and stride, rows as spans with one bounds
/// check. The one grid type of the analysis: depth frames, segmentation labels and the back surface's fields all
/// hold one. The grid owns its buffer and returns it to the pool on <see cref="Dispose"/>; a rented grid is not
/// cleared unless asked.
/// </summary>
/// <typeparam name="T">The cell type.</typeparam>
public sealed class PooledGrid<T> : IDisposable
    where T : unmanaged
{
    private IMemoryOwner<T>? _owner;

    internal PooledGrid(IMemoryOwner<T> owner, int width, int height, int stride)
    {
        _owner = owner;
        Width = width;
        Height = height;
        Stride = stride;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Distance in cells between the starts of two rows (at least <see cref="Width"/>).</summary>
    public int Stride { get; }

    /// <summary>All cells, row after row, with stride gaps.</summary>
    public Span<T> Cells => Memory.Span[..(((Height - 1) * Stride) + Width)];

    /// <summary>One row: a single bounds check, then index freely.</summary>
    public Span<T> Row(int y) => Memory.Span.Slice(y * Stride, Width);

    /// <summary>The cell at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public ref T this[int x, int y] => ref Row(y)[x];

    public void Dispose()
    {
        _owner?.Dispose();
        _owner = null;
    }

    private Memory<T> Memory => (_owner ?? throw new ObjectDisposedException(nameof(PooledGrid<>))).Memory;
}

/// <summary>Makes <see cref="PooledGrid{T}"/>s.</summary>
public static class PooledGrid
{
    /// <summary>A grid of <paramref name="width"/> x <paramref name="height"/> from the shared pool (stride = width).</summary>
    public static PooledGrid<T> Rent<T>(int width, int height, bool clear = false)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var owner = MemoryPool<T>.Shared.Rent(checked(width * height));
        if (clear)
        {
            owner.Memory.Span[..(width * height)].Clear();
        }

        return new PooledGrid<T>(owner, width, height, width);
    }

    /// <summary>Takes ownership of <paramref name="owner"/>, whose memory holds <paramref name="height"/> rows of <paramref name="stride"/> cells.</summary>
    public static PooledGrid<T> Wrap<T>(IMemoryOwner<T> owner, int width, int height, int stride)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (stride < width)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be at least the width.");
        }

        if (owner.Memory.Length < ((height - 1) * stride) + width)
        {
            throw new ArgumentException("The buffer is smaller than height x stride.", nameof(owner));
        }

        return new PooledGrid<T>(owner, width, height, stride);
    }
}
