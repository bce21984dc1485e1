using System.Buffers;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Depth;

public class PooledGridTests
{
    [Fact]
    public void Rent_Cleared_RowsAreViewsOfTheCells()
    {
        using var grid = PooledGrid.Rent<float>(3, 2, clear: true);
        grid[2, 1] = 5;
        grid.Row(0)[1] = 7;

        Assert.Equal([0, 7, 0, 0, 0, 5], grid.Cells.ToArray());
        Assert.Equal(3, grid.Stride);
    }

    [Fact]
    public void Wrap_StrideWiderThanTheWidth_RowsSkipTheGap()
    {
        var owner = MemoryPool<int>.Shared.Rent(8);
        owner.Memory.Span[..8].Fill(9);
        using var grid = PooledGrid.Wrap(owner, 3, 2, 5);
        grid.Row(1).Fill(1);

        Assert.Equal([9, 9, 9, 9, 9, 1, 1, 1], grid.Cells.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => PooledGrid.Wrap(MemoryPool<int>.Shared.Rent(8), 3, 2, 2));
        Assert.Throws<ArgumentException>(() => PooledGrid.Wrap(new ExactOwner(7), 3, 2, 5));
    }

    [Fact]
    public void Dispose_ThenUse_ObjectDisposed()
    {
        var grid = PooledGrid.Rent<ushort>(2, 2);
        grid.Dispose();
        grid.Dispose();

        Assert.Throws<ObjectDisposedException>(() => grid.Row(0).Length);
    }

    // An owner of exactly the memory asked for (the shared pool may hand out more).
    private sealed class ExactOwner(int length) : IMemoryOwner<int>
    {
        public Memory<int> Memory { get; } = new int[length];

        public void Dispose()
        {
        }
    }
}
