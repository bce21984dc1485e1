namespace SpineScan.Models;

/// <summary>A model file or its card is missing, damaged or does not match: the message says which file and what to do.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
