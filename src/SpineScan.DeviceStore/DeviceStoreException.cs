namespace SpineScan.DeviceStore;

/// <summary>The device's store cannot be opened or read; the message says why and what to do, and nothing stored was changed.</summary>
public sealed class DeviceStoreException : Exception
{
    public DeviceStoreException()
    {
    }

    public DeviceStoreException(string message)
        : base(message)
    {
    }

    public DeviceStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
