using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Ports;
using SpineScan.Models;

namespace SpineScan.Inference;

/// <summary>Which execution provider runs a model.</summary>
public enum InferenceProvider
{
    Cpu,
    Cuda,
}

/// <summary>How the process runs its learned models.</summary>
/// <param name="PreferCuda">Ask for the CUDA execution provider first (the default in a <c>-p:SpineScanGpu=true</c> build); the CPU runs it when CUDA is absent.</param>
/// <param name="IntraOpThreads">Threads inside one inference; 0 chooses for the device (its cores, at most <see cref="MaxDefaultThreads"/>).</param>
public sealed record InferenceOptions(bool PreferCuda = InferenceOptions.GpuBuild, int IntraOpThreads = 0)
{
    /// <summary>True in a build with the CUDA runtime (<c>-p:SpineScanGpu=true</c>).</summary>
#if SPINESCAN_GPU
    public const bool GpuBuild = true;
#else
    public const bool GpuBuild = false;
#endif

    /// <summary>
    /// Most threads chosen by default: the network is small (a few tens of MFLOP), so more threads than this cost more in
    /// hand-offs than they save, and the kiosk's other work needs a core.
    /// </summary>
    public const int MaxDefaultThreads = 4;

    /// <summary>The intra-op thread count these options give on this machine.</summary>
    public int Threads => IntraOpThreads > 0 ? IntraOpThreads : Math.Clamp(Environment.ProcessorCount, 1, MaxDefaultThreads);
}

/// <summary>
/// The learned back-to-spine model (<c>spine-centres</c> cards) run by ONNX Runtime: one session per process, checked
/// against its card's SHA-256 on the very bytes it loads, warmed up once, and run over pooled buffers through the
/// <see cref="OrtValue"/> API with no allocation per call beyond the runtime's own. Thread-safe (ONNX Runtime sessions are).
/// </summary>
public sealed class OnnxSpineCentreModel : ISpineCentreModel, IDisposable
{
    /// <summary>The card kind of this model.</summary>
    public const string Kind = "spine-centres";

    /// <summary>Metadata key of <see cref="MaxTrustedSigma"/> in the ONNX file.</summary>
    public const string MaxTrustedSigmaKey = "spinescan.maxTrustedSigma";

    /// <summary>Metadata key of the grid the model was trained on (<c>BackGrid CxRxW</c>).</summary>
    public const string GridKey = "spinescan.grid";

    private const string InputName = "grid";
    private const string OutputName = "centres";

    private static readonly long[] InputShape = [1, BackGrid.Channels, BackGrid.Rows, BackGrid.Columns];
    private static readonly long[] OutputShape = [1, SpineCentrePrediction.Length];
    private static readonly string[] InputNames = [InputName];
    private static readonly string[] OutputNames = [OutputName];

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    private OnnxSpineCentreModel(InferenceSession session, ModelInfo info, double maxTrustedSigma, InferenceProvider provider, string? providerNote, int threads)
    {
        _session = session;
        Info = info;
        MaxTrustedSigma = maxTrustedSigma;
        Provider = provider;
        ProviderNote = providerNote;
        Threads = threads;
    }

    public ModelInfo Info { get; }

    public double MaxTrustedSigma { get; }

    /// <summary>The execution provider that runs the model.</summary>
    public InferenceProvider Provider { get; }

    /// <summary>Why the CPU runs it although CUDA was asked for (one plain line for the host's log), or null.</summary>
    public string? ProviderNote { get; }

    /// <summary>Intra-op threads of the session.</summary>
    public int Threads { get; }

    /// <summary>One line for the host's log at start: the model, its hash and what runs it.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"Spine model {Info.Id} (SHA-256 {Info.Sha256[..12]}...) runs on the {(Provider == InferenceProvider.Cuda ? "CUDA" : "CPU")} execution provider with {Threads} thread(s).");

    /// <summary>The <c>spine-centres</c> model of a catalog, or null when the catalog holds none.</summary>
    /// <exception cref="ModelLoadException">The catalog holds more than one, or the one it holds cannot be run.</exception>
    public static OnnxSpineCentreModel? FromCatalog(ModelCatalog catalog, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var found = catalog.Models.Where(m => m.Card.Kind == Kind).ToList();
        return found.Count switch
        {
            0 => null,
            1 => Load(found[0], options),
            _ => throw new ModelLoadException($"{catalog.Directory} holds {found.Count} '{Kind}' models ({string.Join(", ", found.Select(f => f.Card.Id))}); keep one."),
        };
    }

    /// <summary>
    /// Loads the model file of <paramref name="model"/>: hashes the bytes it reads and refuses them unless they match the
    /// card, then opens one session on them (CUDA first when asked and present, else the CPU) and warms it up.
    /// </summary>
    /// <exception cref="ModelLoadException">The file is missing, changed since its card was written, or not a model this build can run; the message says what to do.</exception>
    public static OnnxSpineCentreModel Load(LoadedModel model, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new InferenceOptions();
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(model.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"The model file {model.Path} cannot be read: {e.Message}. Reinstall SpineScan.", e);
        }

        // The bytes the session runs are the bytes hashed: nothing can change the file between the check and the load.
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, model.Card.Sha256, StringComparison.Ordinal))
        {
            throw new ModelLoadException($"The model file {model.Path} has SHA-256 {actual}, but its card {model.Card.Id}{ModelCatalog.CardSuffix} says {model.Card.Sha256}: the file was changed or damaged, so SpineScan will not run it. Reinstall SpineScan, or retrain with models/train-spine-cnn.sh, which writes both.");
        }

        var (session, provider, note) = Open(bytes, model, options);
        try
        {
            var trusted = ReadMetadata(session, model);
            var loaded = new OnnxSpineCentreModel(session, model.Info, trusted, provider, note, options.Threads);
            loaded.WarmUp();
            return loaded;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Predict(ReadOnlySpan<float> grid, Span<float> prediction)
    {
        if (grid.Length != BackGrid.Length || prediction.Length != SpineCentrePrediction.Length)
        {
            throw new ArgumentException($"The model takes {BackGrid.Length} grid floats and gives {SpineCentrePrediction.Length}; got {grid.Length} and {prediction.Length}.");
        }

        var input = ArrayPool<float>.Shared.Rent(BackGrid.Length);
        var output = ArrayPool<float>.Shared.Rent(SpineCentrePrediction.Length);
        try
        {
            grid.CopyTo(input);
            using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, BackGrid.Length), InputShape);
            using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, SpineCentrePrediction.Length), OutputShape);
            _session.Run(_run, InputNames, [inputValue], OutputNames, [outputValue]);
            output.AsSpan(0, SpineCentrePrediction.Length).CopyTo(prediction);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }

    // The first run allocates the runtime's arenas and picks kernels: done at start, not on the first child.
    private void WarmUp()
    {
        var grid = new float[BackGrid.Length];
        var prediction = new float[SpineCentrePrediction.Length];
        Predict(grid, prediction);
    }

    private static (InferenceSession Session, InferenceProvider Provider, string? Note) Open(byte[] bytes, LoadedModel model, InferenceOptions options)
    {
        string? note = null;
        if (options.PreferCuda)
        {
            var cuda = Options(options);
            try
            {
                cuda.AppendExecutionProvider_CUDA(0);
                return (new InferenceSession(bytes, cuda), InferenceProvider.Cuda, null);
            }
            catch (OnnxRuntimeException e)
            {
                cuda.Dispose();
                note = $"CUDA is not available here ({FirstLine(e.Message)}); the spine model runs on the CPU.";
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                cuda.Dispose();
                note = $"CUDA is not available here ({e.GetType().Name}); the spine model runs on the CPU.";
            }
        }

        var cpu = Options(options);
        try
        {
            return (new InferenceSession(bytes, cpu), InferenceProvider.Cpu, note);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"The model file {model.Path} ({model.Card.Id}) matches its card but ONNX Runtime cannot load it: {FirstLine(e.Message)}. Use the models shipped with this build.", e);
        }
        finally
        {
            cpu.Dispose();
        }
    }

    private static SessionOptions Options(InferenceOptions options) => new()
    {
        IntraOpNumThreads = options.Threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    // The model's shape and its fallback limit, from the ONNX file itself: a file trained for another grid is refused.
    private static double ReadMetadata(InferenceSession session, LoadedModel model)
    {
        var expectedGrid = string.Create(CultureInfo.InvariantCulture, $"BackGrid {BackGrid.Channels}x{BackGrid.Rows}x{BackGrid.Columns}");
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue(GridKey, out var grid) || !string.Equals(grid, expectedGrid, StringComparison.Ordinal))
        {
            throw new ModelLoadException($"The model {model.Card.Id} ({model.Path}) was made for '{grid ?? "no grid"}', this build gives '{expectedGrid}'. Use the models shipped with this build.");
        }

        if (!session.InputMetadata.ContainsKey(InputName) || !session.OutputMetadata.TryGetValue(OutputName, out var output) || output.Dimensions[^1] != SpineCentrePrediction.Length)
        {
            throw new ModelLoadException($"The model {model.Card.Id} ({model.Path}) needs the input '{InputName}' and the output '{OutputName}' of {SpineCentrePrediction.Length} values. Use the models shipped with this build.");
        }

        if (!metadata.TryGetValue(MaxTrustedSigmaKey, out var text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var trusted) || !(trusted > 0))
        {
            throw new ModelLoadException($"The model {model.Card.Id} ({model.Path}) carries no usable '{MaxTrustedSigmaKey}' (the uncertainty above which the analysis falls back). Retrain it with models/train-spine-cnn.sh.");
        }

        return trusted;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
