using System.Runtime.InteropServices;

namespace SpineScan.Camera.RealSense.Interop;

/// <summary>Turns the <c>rs2_error*</c> every librealsense call reports through into an exception.</summary>
internal static class Rs2Error
{
    /// <summary>
    /// Throws a <see cref="RealSenseException"/> naming the failed function when <paramref name="error"/> is set,
    /// after freeing the error and disposing <paramref name="result"/> (the handle the failed call returned, if any).
    /// </summary>
    public static void ThrowIfSet(nint error, SafeHandle? result = null)
    {
        if (error == 0)
        {
            return;
        }

        result?.Dispose();
        var function = Marshal.PtrToStringUTF8(NativeMethods.rs2_get_failed_function(error));
        var message = Marshal.PtrToStringUTF8(NativeMethods.rs2_get_error_message(error));
        NativeMethods.rs2_free_error(error);
        throw new RealSenseException(
            string.IsNullOrEmpty(function) ? "an rs2 function" : function,
            string.IsNullOrEmpty(message) ? "no message" : message);
    }

    /// <summary>Frees an error on a clean-up path where there is nothing left to report it to.</summary>
    public static void Discard(nint error)
    {
        if (error != 0)
        {
            NativeMethods.rs2_free_error(error);
        }
    }
}
