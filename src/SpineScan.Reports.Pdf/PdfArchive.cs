using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace SpineScan.Reports.Pdf;

/// <summary>What the archival metadata says of a document.</summary>
/// <param name="Title">The title (shown by viewers instead of the file name).</param>
/// <param name="Language">The document's BCP 47 language.</param>
/// <param name="Created">When it was made (also its modification date).</param>
internal sealed record PdfArchiveInfo(string Title, string Language, DateTimeOffset Created);

/// <summary>
/// Turns PDFsharp's tagged output into a PDF/A-2b and PDF/UA-1 file, for what PDFsharp 6.2 cannot do itself:
/// <list type="bullet">
/// <item>complete zlib streams: PDFsharp's own Flate output ends without the final block (qpdf warns on every stream),
/// so it renders uncompressed and every stream is compressed here with <see cref="ZLibStream"/>;</item>
/// <item>an sRGB output intent (<see cref="SrgbProfile"/>), which PDF/A needs for device RGB colour;</item>
/// <item>the XMP metadata: PDFsharp always writes its own packet (no <c>pdfaid</c> part 2, no <c>pdfuaid</c>) on save, so
/// the packet that claims PDF/A-2b and PDF/UA-1 is written as an incremental update that replaces that object.</item>
/// </list>
/// </summary>
internal static partial class PdfArchive
{
    public static byte[] Finish(byte[] rendered, PdfArchiveInfo info)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(info);
        var created = info.Created.UtcDateTime;
        using var input = new MemoryStream(rendered);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        foreach (var item in document.Internals.GetAllObjects())
        {
            if (item is not PdfDictionary { Stream: { } stream } dictionary || dictionary.Elements.GetName("/Type") == "/Metadata")
            {
                continue; // PDF/A: the metadata stream stays unfiltered
            }

            // Images come Flate-encoded even with NoCompression: decoded by PDFsharp (which reads its own streams), re-encoded whole.
            var filter = dictionary.Elements["/Filter"];
            if (filter is null)
            {
                stream.Value = Deflate(stream.Value);
            }
            else if (filter is PdfName { Value: "/FlateDecode" } && !dictionary.Elements.ContainsKey("/DecodeParms"))
            {
                stream.Value = Deflate(stream.UnfilteredValue);
            }
            else
            {
                throw new InvalidDataException($"Unexpected stream filter {filter} in PDFsharp's output.");
            }

            dictionary.Elements["/Filter"] = new PdfName("/FlateDecode");
        }

        var profile = new PdfDictionary(document);
        profile.CreateStream(Deflate(SrgbProfile.Bytes));
        profile.Elements["/N"] = new PdfInteger(3);
        profile.Elements["/Filter"] = new PdfName("/FlateDecode");
        document.Internals.AddObject(profile);
        var intent = new PdfDictionary(document);
        intent.Elements["/Type"] = new PdfName("/OutputIntent");
        intent.Elements["/S"] = new PdfName("/GTS_PDFA1");
        intent.Elements["/OutputConditionIdentifier"] = new PdfString(SrgbProfile.Name);
        intent.Elements["/Info"] = new PdfString(SrgbProfile.Name);
        intent.Elements["/DestOutputProfile"] = profile.Reference;
        document.Internals.AddObject(intent);
        var catalog = document.Internals.Catalog;
        catalog.Elements["/OutputIntents"] = new PdfArray(document, intent.Reference!);
        document.Info.Title = info.Title;
        document.Info.Creator = "SpineScan";
        document.Info.CreationDate = created;
        document.Info.ModificationDate = created;

        using var saved = new MemoryStream();
        document.Save(saved, closeStream: false);
        return AppendMetadata(saved.ToArray(), Xmp(info, document.Info.Producer, created));
    }

    /// <summary>The packet: PDF/A-2b, PDF/UA-1 (with the extension schema PDF/A asks for), and the Info dictionary's values.</summary>
    private static string Xmp(PdfArchiveInfo info, string producer, DateTime created)
    {
        var date = created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string E(string s) => WebUtility.HtmlEncode(s);
        return $"""
            <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
                xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
               <pdfaid:part>2</pdfaid:part>
               <pdfaid:conformance>B</pdfaid:conformance>
               <pdfuaid:part>1</pdfuaid:part>
               <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{E(info.Title)}</rdf:li></rdf:Alt></dc:title>
               <dc:language><rdf:Bag><rdf:li>{E(info.Language)}</rdf:li></rdf:Bag></dc:language>
               <dc:format>application/pdf</dc:format>
               <xmp:CreatorTool>SpineScan</xmp:CreatorTool>
               <xmp:CreateDate>{date}</xmp:CreateDate>
               <xmp:ModifyDate>{date}</xmp:ModifyDate>
               <xmp:MetadataDate>{date}</xmp:MetadataDate>
               <pdf:Producer>{E(producer)}</pdf:Producer>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
                xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
               <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
                <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
                 <pdfaProperty:name>part</pdfaProperty:name>
                 <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
                 <pdfaProperty:category>internal</pdfaProperty:category>
                 <pdfaProperty:description>The part of ISO 14289 the document conforms to</pdfaProperty:description>
                </rdf:li></rdf:Seq></pdfaSchema:property>
               </rdf:li></rdf:Bag></pdfaExtension:schemas>
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """;
    }

    /// <summary>
    /// Appends an incremental update that redefines the catalog's metadata object (same number) with
    /// <paramref name="xmp"/>: one object, a one-entry cross-reference section and a trailer pointing back at the original's.
    /// </summary>
    internal static byte[] AppendMetadata(byte[] pdf, string xmp)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var trailerAt = text.LastIndexOf("trailer", StringComparison.Ordinal);
        var startXref = trailerAt < 0 ? Match.Empty : StartXref().Match(text, trailerAt);
        if (!startXref.Success)
        {
            throw new InvalidDataException("PDFsharp's output has no classic trailer to update.");
        }

        var trailer = text[trailerAt..startXref.Index];
        string Entry(Regex pattern) => pattern.Match(trailer) is { Success: true } m ? m.Value : throw new InvalidDataException("The trailer lacks " + pattern);
        var root = Entry(Root());
        var catalogAt = text.IndexOf("\n" + Root().Match(root).Groups[1].Value + " 0 obj", StringComparison.Ordinal);
        var catalogEnd = catalogAt < 0 ? -1 : text.IndexOf("endobj", catalogAt, StringComparison.Ordinal);
        var metadata = catalogEnd < 0 ? Match.Empty : MetadataReference().Match(text[catalogAt..catalogEnd]);
        if (!metadata.Success)
        {
            throw new InvalidDataException("PDFsharp's output has no catalog metadata to update.");
        }

        var metadataObject = int.Parse(metadata.Groups[1].Value, CultureInfo.InvariantCulture);
        var packet = Encoding.UTF8.GetBytes(xmp);

        using var output = new MemoryStream();
        output.Write(pdf);
        void Write(string s) => output.Write(Encoding.Latin1.GetBytes(s));
        Write("\n");
        var objectAt = output.Length;
        Write(FormattableString.Invariant($"{metadataObject} 0 obj\n<</Type/Metadata/Subtype/XML/Length {packet.Length}>>\nstream\n"));
        output.Write(packet);
        Write("\nendstream\nendobj\n");
        var xrefAt = output.Length;
        Write(FormattableString.Invariant($"xref\n{metadataObject} 1\n{objectAt:D10} 00000 n \ntrailer\n<<{Entry(Size())}{Entry(Root())}{Entry(Info())}{Entry(Id())}/Prev {startXref.Groups[1].Value}>>\nstartxref\n{xrefAt}\n%%EOF\n"));
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    [GeneratedRegex(@"/Metadata\s+(\d+)\s+0\s+R")]
    private static partial Regex MetadataReference();

    [GeneratedRegex(@"startxref\s+(\d+)")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"/Size\s+\d+")]
    private static partial Regex Size();

    [GeneratedRegex(@"/Root\s+(\d+)\s+0\s+R")]
    private static partial Regex Root();

    [GeneratedRegex(@"/Info\s+\d+\s+\d+\s+R")]
    private static partial Regex Info();

    [GeneratedRegex(@"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]")]
    private static partial Regex Id();
}
