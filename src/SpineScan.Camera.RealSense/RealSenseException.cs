namespace SpineScan.Camera.RealSense;

/// <summary>A librealsense2 call reported an error.</summary>
public sealed class RealSenseException : Exception
{
    public RealSenseException()
    {
    }

    public RealSenseException(string message)
        : base(message)
    {
    }

    public RealSenseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RealSenseException(string failedFunction, string librealsenseMessage)
        : base($"{failedFunction} failed: {librealsenseMessage}")
    {
        FailedFunction = failedFunction;
        LibrealsenseMessage = librealsenseMessage;
    }

    /// <summary>The rs2_* function that failed (rs2_get_failed_function).</summary>
    public string? FailedFunction { get; }

    /// <summary>librealsense's own words (rs2_get_error_message).</summary>
    public string? LibrealsenseMessage { get; }
}
