using SpineScan.Lab.Validation;

namespace SpineScan.Lab.Tests.Validation;

public sealed class AasceDataSetTests : IDisposable
{
    private readonly string _folder = AasceTestData.WriteSynthetic(3);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_SyntheticSplit_ReadsAllImages()
    {
        var images = AasceDataSet.Load(_folder, "test");

        Assert.Equal(3, images.Count);
        Assert.Equal(17, images[0].Vertebrae.Length);
        Assert.Equal(2, images[1].ImageNumber);
        Assert.Equal(2500, images[0].HeightPx);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        File.Delete(Path.Combine(_folder, "test_angles.csv"));

        var e = Assert.Throws<AasceDataException>(() => AasceDataSet.Load(_folder, "test"));

        Assert.Contains("test_angles.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_SaysSo()
    {
        var e = Assert.Throws<AasceDataException>(() => AasceDataSet.Load(Path.Combine(_folder, "nope"), "test"));

        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NonNumber_NamesFileLineAndColumn()
    {
        var path = Path.Combine(_folder, "test_angles.csv");
        var lines = File.ReadAllLines(path);
        lines[1] = "12.5,abc,3";
        File.WriteAllLines(path, lines);

        var e = Assert.Throws<AasceDataException>(() => AasceDataSet.Load(_folder, "test"));

        Assert.Equal("test_angles.csv line 2, column 2: 'abc' is not a number.", e.Message);
    }

    [Fact]
    public void Load_CommaDecimalCulture_IsRejectedNotMisread()
    {
        var path = Path.Combine(_folder, "test_imagesizes.csv");
        File.WriteAllLines(path, ["1000,2500", "1000,2500", "1000;2500"]);

        var e = Assert.Throws<AasceDataException>(() => AasceDataSet.Load(_folder, "test"));

        Assert.Equal("test_imagesizes.csv line 3: expected 2 comma-separated numbers, found 1.", e.Message);
    }

    [Fact]
    public void Load_ShortLandmarkRow_NamesFileAndLine()
    {
        var path = Path.Combine(_folder, "test_landmarks.csv");
        var lines = File.ReadAllLines(path);
        lines[0] = lines[0][..lines[0].LastIndexOf(',')];
        File.WriteAllLines(path, lines);

        var e = Assert.Throws<AasceDataException>(() => AasceDataSet.Load(_folder, "test"));

        Assert.Equal("test_landmarks.csv line 1: expected 136 comma-separated numbers, found 135.", e.Message);
    }

    [Fact]
    public void Load_RowCountsDiffer_SaysWhichFilesDisagree()
    {
        var path = Path.Combine(_folder, "test_angles.csv");
        File.WriteAllLines(path, File.ReadAllLines(path)[..2]);

        var e = Assert.Throws<AasceDataException>(() => AasceDataSet.Load(_folder, "test"));

        Assert.Contains("angles 2", e.Message, StringComparison.Ordinal);
    }
}
