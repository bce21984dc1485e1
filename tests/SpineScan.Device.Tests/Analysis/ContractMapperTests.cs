using SpineScan.Contracts;
using SpineScan.Core.Analysis;
using SpineScan.Core.Capture;
using SpineScan.Device.Analysis;

namespace SpineScan.Device.Tests.Analysis;

public class ContractMapperTests
{
    [Fact]
    public void ToContract_AnalysedWithProgrammeThresholds_ClaimsThoseThresholds()
    {
        var programme = new CategoryThresholds(ReferCobbDeg: 25, ReferAtrDeg: 8, RescreenCobbDeg: 12, RescreenAtrDeg: 6, ReferProbability: 0.3);
        var result = new ScreeningResult
        {
            Category = ScreeningCategory.Normal,
            Standing = new PoseReport { Pose = CapturePose.Standing, Issues = [] },
            Thresholds = programme,
        };

        var contract = ContractMapper.ToContract(result);

        Assert.Equal(programme, contract.Thresholds);
        Assert.Equal(AnalysisResult.SchemaV2, contract.Schema);
    }
}
