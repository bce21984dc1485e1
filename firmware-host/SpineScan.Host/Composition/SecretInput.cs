namespace SpineScan.Host.Composition;

/// <summary>
/// Reads a secret (the device credential, the operator passphrase) from a file or standard input: never from the
/// command line, where any user of the machine sees it in <c>ps</c>.
/// </summary>
internal static class SecretInput
{
    /// <summary>The first line of <paramref name="file"/> (<c>-</c>: standard input), trimmed; null when no file is named.</summary>
    /// <exception cref="Device.Workflow.StationInputException">The file cannot be read or is empty.</exception>
    public static async Task<string?> ReadAsync(string? file, TextReader input, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (file is null)
        {
            return null;
        }

        string? line;
        if (file == "-")
        {
            line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                line = (await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new Device.Workflow.StationInputException($"The {what} file '{file}' cannot be read ({ex.Message.TrimEnd('.')}).", ex);
            }
        }

        return string.IsNullOrWhiteSpace(line)
            ? throw new Device.Workflow.StationInputException($"No {what} was given ({(file == "-" ? "standard input was empty" : $"'{file}' is empty")}).")
            : line.Trim();
    }
}
