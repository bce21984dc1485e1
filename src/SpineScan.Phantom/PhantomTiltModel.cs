using SpineScan.Core.Spine;

namespace SpineScan.Phantom;

/// <summary>The vertebral tilt model behind the phantom's radiographic truth.</summary>
public static class PhantomTiltModel
{
    /// <summary>
    /// Share of the fitted residual SD the phantom uses. The AASCE residual includes the annotators' corner placement
    /// error (a few pixels on a 60-pixel vertebra is about 3 degrees of tilt), which the challenge procedure's largest
    /// pairwise angle turns into a floor: with the full SD a straight spine reads a median 11.7 degrees (90th
    /// percentile 17.6), where normal spines measure 0-5 degrees on radiographs. At half the SD a straight spine reads
    /// a median 5.8 degrees (90th percentile 8.8), and the centre-line estimator's error against the model truth on
    /// smoothed AASCE centre lines is 2.3 degrees MAE (3.7 at full SD; 3.35 against the recorded angles).
    /// </summary>
    public const double ScatterScale = 0.5;

    /// <summary>The model the phantom draws from: the fitted gains and correlation, <see cref="ScatterScale"/> of the fitted SDs.</summary>
    public static TiltModelParameters Parameters { get; } = Scaled(ScatterScale);

    /// <summary>The AASCE-fitted model with its residual SDs scaled by <paramref name="scatterScale"/>.</summary>
    public static TiltModelParameters Scaled(double scatterScale) => VertebralTiltModel.Fitted with
    {
        TopSdDeg = VertebralTiltModel.Fitted.TopSdDeg * scatterScale,
        MiddleSdDeg = VertebralTiltModel.Fitted.MiddleSdDeg * scatterScale,
        BottomSdDeg = VertebralTiltModel.Fitted.BottomSdDeg * scatterScale,
    };
}
