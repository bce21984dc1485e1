using SpineScan.Lab.Commands;
using SpineScan.Lab.Validation;

namespace SpineScan.Lab.Tests.Validation;

public class AasceReproductionTests
{
    [AasceDataFact]
    public void Endplates_TestSplit_ReproducesAtLeast124Of128WithinHalfDegree()
    {
        var summary = ValidateCommand.Run(AasceTestData.Directory!, "test", AasceMethods.Endplates, null);

        Assert.Equal(128, summary.N);
        Assert.True(summary.WithinHalfDegree >= 124, $"{summary.WithinHalfDegree} of 128 images with all three angles within 0.5 deg");
    }

    [AasceDataFact]
    public void Endplates_TrainingSplit_ReproducesAtLeast466Of481WithinHalfDegree()
    {
        var summary = ValidateCommand.Run(AasceTestData.Directory!, "training", AasceMethods.Endplates, null);

        Assert.Equal(481, summary.N);
        Assert.True(summary.WithinHalfDegree >= 466, $"{summary.WithinHalfDegree} of 481 images with all three angles within 0.5 deg");
    }

    [AasceDataFact]
    public void Centres_TestSplit_BeatsTheBaselineMae()
    {
        var ours = ValidateCommand.Run(AasceTestData.Directory!, "test", AasceMethods.Centres, null);
        var baseline = ValidateCommand.Run(AasceTestData.Directory!, "test", AasceMethods.Baseline, null);

        Assert.True(ours.MaeDeg < baseline.MaeDeg, $"ours {ours.MaeDeg:0.000} deg vs baseline {baseline.MaeDeg:0.000} deg");
        Assert.True(ours.MaeDeg < 3.0, $"MAE {ours.MaeDeg:0.000} deg");
        Assert.True(ours.PearsonR > 0.9, $"r {ours.PearsonR:0.000}");
    }

    [AasceDataFact]
    public void CheckTiltModel_TrainingSplit_PhantomCobbCloseToRecorded()
    {
        var training = AasceDataSet.Load(AasceTestData.Directory!, "training");

        var check = AasceFit.CheckTiltModel(training, SpineScan.Core.Spine.VertebralTiltModel.Fitted, draws: 5);

        // Phantom Cobb (centre line + model tilts) within 2 degrees of the recorded Cobb on average,
        // and its gap to the centre line spreads like the recorded one (SD within 3 degrees).
        Assert.InRange(check.PhantomMinusRealMeanDeg, -2.0, 2.0);
        Assert.InRange(check.PhantomMinusLineSdDeg - check.RealMinusLineSdDeg, -3.0, 3.0);
    }
}
