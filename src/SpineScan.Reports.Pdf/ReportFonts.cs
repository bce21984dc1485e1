using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using PdfSharp.Fonts;

namespace SpineScan.Reports.Pdf;

/// <summary>The <c>PdfReports</c> section: where the report's fonts are.</summary>
public sealed class PdfReportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "PdfReports";

    /// <summary>The Latin font (TrueType), regular. Debian: fonts-dejavu-core.</summary>
    [Required]
    public string LatinFont { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>The Latin font (TrueType), bold.</summary>
    [Required]
    public string LatinBoldFont { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    /// <summary>
    /// The Chinese font (.ttf, .otf, or a .ttc with <see cref="CjkFaceIndex"/>); empty: the first of
    /// <see cref="ReportFonts.CjkCandidates"/> that exists.
    /// </summary>
    public string? CjkFont { get; set; }

    /// <summary>The face of <see cref="CjkFont"/> when it is a collection (.ttc).</summary>
    [Range(0, 64)]
    public int CjkFaceIndex { get; set; }
}

/// <summary>
/// Loads the report's fonts and resolves them for PDFsharp: <see cref="Latin"/> (DejaVu Sans) for Latin text and
/// numbers, <see cref="Cjk"/> for Chinese. A TrueType-outline CJK font (Droid Sans Fallback, WenQuanYi) is subset
/// into each PDF (tens of kB); an OpenType/CFF one (Noto Sans CJK) works but PDFsharp embeds it whole (about 13 MB).
/// </summary>
public sealed class ReportFonts : IFontResolver
{
    /// <summary>The family name of the Latin font.</summary>
    public const string Latin = "SpineScan Sans";

    /// <summary>The family name of the Chinese font.</summary>
    public const string Cjk = "SpineScan CJK";

    private const string LatinRegularFace = "latin-regular";
    private const string LatinBoldFace = "latin-bold";
    private const string CjkFace = "cjk";

    private static readonly Lock InstallLock = new();
    private static ReportFonts? _installed;

    private readonly byte[] _latinRegular;
    private readonly byte[] _latinBold;
    private readonly byte[]? _cjk;

    private ReportFonts(byte[] latinRegular, byte[] latinBold, byte[]? cjk, string? cjkPath, bool cjkIsCff)
    {
        _latinRegular = latinRegular;
        _latinBold = latinBold;
        _cjk = cjk;
        CjkPath = cjkPath;
        CjkIsCff = cjkIsCff;
    }

    /// <summary>Where a Chinese font is looked for when none is configured: TrueType outlines first (small PDFs).</summary>
    public static IReadOnlyList<(string Path, int Face)> CjkCandidates { get; } =
    [
        ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
        ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otf", 0),
    ];

    /// <summary>The Chinese font file in use, or null when none was found (Chinese reports then fail with a clear message).</summary>
    public string? CjkPath { get; }

    /// <summary>True when the Chinese font has CFF outlines, which PDFsharp embeds whole instead of subsetting.</summary>
    public bool CjkIsCff { get; }

    /// <summary>True when Chinese reports can be rendered.</summary>
    public bool HasCjk => _cjk is not null;

    /// <summary>The fonts PDFsharp resolves through, installed once per process (PDFsharp's resolver is global).</summary>
    public static ReportFonts Install(PdfReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (InstallLock)
        {
            if (_installed is not null)
            {
                return _installed;
            }

            var fonts = Load(options);
            GlobalFontSettings.FontResolver = fonts;
            _installed = fonts;
            return fonts;
        }
    }

    /// <summary>Reads the font files; a missing Latin font is a <see cref="FileNotFoundException"/> that names the file and the package.</summary>
    public static ReportFonts Load(PdfReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var regular = ReadRequired(options.LatinFont);
        var bold = ReadRequired(options.LatinBoldFont);
        var (path, face) = string.IsNullOrWhiteSpace(options.CjkFont)
            ? CjkCandidates.FirstOrDefault(c => File.Exists(c.Path))
            : (options.CjkFont, options.CjkFaceIndex);
        if (path is null || !File.Exists(path))
        {
            return new ReportFonts(regular, bold, null, path, cjkIsCff: false);
        }

        var cjk = SingleFace(File.ReadAllBytes(path), face);
        var isCff = BinaryPrimitives.ReadUInt32BigEndian(cjk) == 0x4F54544F; // 'OTTO'
        return new ReportFonts(regular, bold, cjk, path, isCff);
    }

    /// <summary>One face of a font file: the file itself, or the face <paramref name="face"/> of a collection repacked as a standalone font.</summary>
    public static byte[] SingleFace(byte[] file, int face)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(file) != 0x74746366) // 'ttcf'
        {
            return file;
        }

        var faces = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(8));
        if (face < 0 || face >= faces)
        {
            throw new ArgumentOutOfRangeException(nameof(face), face, $"The collection holds {faces} faces.");
        }

        var offset = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(12 + (4 * face)));
        int tableCount = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(offset + 4));
        var headerLength = 12 + (16 * tableCount);
        var tables = new (uint Tag, uint Checksum, int Offset, int Length)[tableCount];
        var size = headerLength;
        for (var t = 0; t < tableCount; t++)
        {
            var record = file.AsSpan(offset + 12 + (16 * t), 16);
            tables[t] = (BinaryPrimitives.ReadUInt32BigEndian(record), BinaryPrimitives.ReadUInt32BigEndian(record[4..]),
                BinaryPrimitives.ReadInt32BigEndian(record[8..]), BinaryPrimitives.ReadInt32BigEndian(record[12..]));
            size += (tables[t].Length + 3) & ~3;
        }

        var result = new byte[size];
        file.AsSpan(offset, 12).CopyTo(result);
        var position = headerLength;
        for (var t = 0; t < tableCount; t++)
        {
            var (tag, checksum, tableOffset, length) = tables[t];
            var record = result.AsSpan(12 + (16 * t), 16);
            BinaryPrimitives.WriteUInt32BigEndian(record, tag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], checksum);
            BinaryPrimitives.WriteInt32BigEndian(record[8..], position);
            BinaryPrimitives.WriteInt32BigEndian(record[12..], length);
            file.AsSpan(tableOffset, length).CopyTo(result.AsSpan(position));
            position += (length + 3) & ~3;
        }

        return result;
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (string.Equals(familyName, Cjk, StringComparison.OrdinalIgnoreCase) && _cjk is not null)
        {
            return new FontResolverInfo(CjkFace, mustSimulateBold: bold, mustSimulateItalic: italic);
        }

        return new FontResolverInfo(bold ? LatinBoldFace : LatinRegularFace, mustSimulateBold: false, mustSimulateItalic: italic);
    }

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => faceName switch
    {
        CjkFace => _cjk,
        LatinBoldFace => _latinBold,
        _ => _latinRegular,
    };

    private static byte[] ReadRequired(string path) =>
        File.Exists(path)
            ? File.ReadAllBytes(path)
            : throw new FileNotFoundException($"The PDF report font '{path}' is missing: install fonts-dejavu-core or set PdfReports:LatinFont / LatinBoldFont.", path);
}
