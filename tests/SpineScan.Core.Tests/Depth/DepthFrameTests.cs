using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Depth;

public class DepthFrameTests
{
    [Fact]
    public void Create_NewFrame_IsAllNoMeasurement()
    {
        using var frame = DepthFrame.Create(31, 17, 0.001);

        Assert.Equal(0, frame.CountValid());
        Assert.Equal(31, frame.Row(16).Length);
    }

    [Fact]
    public void DepthMmAt_ScaledValue_ReturnsMillimetres()
    {
        using var frame = DepthFrame.Create(4, 3, 0.0001);
        frame.Row(2)[3] = 12345;

        Assert.Equal(1234.5, frame.DepthMmAt(3, 2), 9);
        Assert.Equal(1, frame.CountValid());
    }

    [Fact]
    public void Clone_ChangingCopy_LeavesOriginal()
    {
        using var frame = DepthFrame.Create(5, 5, 0.001, 33.3);
        frame.Row(1)[1] = 900;
        using var copy = frame.Clone();
        copy.Row(1)[1] = 1;

        Assert.Equal(900, frame[1, 1]);
        Assert.Equal(33.3, copy.TimestampMs);
    }

    [Fact]
    public void Row_AfterDispose_Throws()
    {
        var frame = DepthFrame.Create(2, 2, 0.001);
        frame.Dispose();

        Assert.Throws<ObjectDisposedException>(() => frame.Row(0).Length);
    }

    [Fact]
    public void Create_ZeroScale_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DepthFrame.Create(2, 2, 0));
    }
}
