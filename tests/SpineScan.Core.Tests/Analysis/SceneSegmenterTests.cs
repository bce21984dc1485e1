using SpineScan.Core.Analysis;
using SpineScan.Core.Depth;

namespace SpineScan.Core.Tests.Analysis;

public class SceneSegmenterTests
{
    private static readonly CameraIntrinsics Camera = CameraIntrinsics.RealSenseD435;

    private static DepthFrame Scene(params (double X, double Z)[] people) =>
        SyntheticScene.Render(2600, 900, people.Select(p => new SyntheticScene.Ellipsoid(new Vector3d(p.X, 0, p.Z), new Vector3d(200, 700, 120))).ToArray());

    [Fact]
    public void Segment_OneChildBeforeWall_FindsOnePersonAndTheFloor()
    {
        using var depth = Scene((0, 1300));

        using var scene = SceneSegmenter.Segment(depth, Camera);

        var person = Assert.Single(scene.People);
        Assert.InRange(person.MedianDepthMm, 1180, 1300);
        Assert.InRange(person.AreaM2, 0.3, 0.5); // the ellipse's frontal area, pi x 0.2 x 0.7 = 0.44 m², cut by the frame
        Assert.NotNull(scene.Floor);
        Assert.InRange(scene.Floor!.Value.Normal.Y, -1.0, -0.99);
        Assert.InRange(-scene.Floor.Value.Distance, 890, 910); // facing the camera: the camera sits 900 mm on the normal side
        Assert.Equal(2, scene.BackgroundPlanes.Count);
        Assert.Equal(person.Label, scene.LabelAt(424, 240));
        Assert.Equal(SceneSegmentation.Background, scene.LabelAt(10, 100));
    }

    [Fact]
    public void Segment_TwoChildren_FindsTwoPeople()
    {
        using var depth = Scene((-450, 1500), (450, 1500));

        using var scene = SceneSegmenter.Segment(depth, Camera);

        Assert.Equal(2, scene.People.Count);
        Assert.True(scene.People[0].CentroidU < 424 != scene.People[1].CentroidU < 424);
        Assert.Equal(scene.People[1], scene.SecondPerson(0.1));
    }

    [Fact]
    public void Segment_HipsCutOffFromTheBackByADepthStep_AreNotASecondPerson()
    {
        // A back and, under it, hips 250 mm farther: the depth step at the waist exceeds the segmenter's continuity.
        using var depth = SyntheticScene.Render(
            2600,
            900,
            new SyntheticScene.Ellipsoid(new Vector3d(0, -150, 1500), new Vector3d(180, 350, 110)),
            new SyntheticScene.Ellipsoid(new Vector3d(0, 400, 1750), new Vector3d(170, 300, 110)));

        using var scene = SceneSegmenter.Segment(depth, Camera);

        // Two objects, the second large enough to have counted as a second person.
        Assert.Equal(2, scene.People.Count);
        Assert.True(scene.People[1].AreaM2 >= 0.1, $"hips {scene.People[1].AreaM2:F3} m²");
        Assert.Null(scene.SecondPerson(0.1));
    }

    [Fact]
    public void SecondPerson_SomeoneBesideTheChildAtTheSameHeight_Counts()
    {
        // A smaller person beside the child, farther back and lower: still another person, not the child's legs.
        using var depth = SyntheticScene.Render(
            2600,
            900,
            new SyntheticScene.Ellipsoid(new Vector3d(0, 0, 1400), new Vector3d(200, 700, 120)),
            new SyntheticScene.Ellipsoid(new Vector3d(480, 200, 1700), new Vector3d(160, 500, 110)));

        using var scene = SceneSegmenter.Segment(depth, Camera);

        Assert.Equal(2, scene.People.Count);
        Assert.Equal(scene.People[1], scene.SecondPerson(0.1));
    }

    [Fact]
    public void Segment_EmptyRoom_FindsNobody()
    {
        using var depth = Scene();

        using var scene = SceneSegmenter.Segment(depth, Camera);

        Assert.Empty(scene.People);
    }

    [Fact]
    public void Segment_AllZeroFrame_FindsNobodyWithoutThrowing()
    {
        using var depth = DepthFrame.Create(Camera.Width, Camera.Height, 0.001);

        using var scene = SceneSegmenter.Segment(depth, Camera);

        Assert.Empty(scene.People);
        Assert.Empty(scene.BackgroundPlanes);
    }

    [Fact]
    public void Decompose_RandomSymmetricMatrices_SatisfyEigenEquation()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var m = new double[3, 3];
            for (var i = 0; i < 3; i++)
            {
                for (var j = i; j < 3; j++)
                {
                    m[i, j] = m[j, i] = (random.NextDouble() * 200) - 100;
                }
            }

            var (values, vectors) = SymmetricEigen3.Decompose(m);

            Assert.True(values[0] <= values[1] && values[1] <= values[2]);
            for (var k = 0; k < 3; k++)
            {
                var v = vectors[k];
                var mv = new Vector3d(
                    (m[0, 0] * v.X) + (m[0, 1] * v.Y) + (m[0, 2] * v.Z),
                    (m[1, 0] * v.X) + (m[1, 1] * v.Y) + (m[1, 2] * v.Z),
                    (m[2, 0] * v.X) + (m[2, 1] * v.Y) + (m[2, 2] * v.Z));
                Assert.InRange((mv - (v * values[k])).Length, 0, 1e-8);
            }
        }
    }
}
