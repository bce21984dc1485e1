namespace SpineScan.Imaging.Replay;

/// <summary>
/// A capture folder that cannot be read. The message says which file, what was wrong and what to do;
/// nothing on disk is changed by the failed read.
/// </summary>
public sealed class InvalidCaptureException : Exception
{
    public InvalidCaptureException()
    {
    }

    public InvalidCaptureException(string message)
        : base(message)
    {
    }

    public InvalidCaptureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
