using System.Globalization;
using SpineScan.Core.Analysis;
using SpineScan.Reports.Pdf;

namespace SpineScan.Device.Findings;

/// <summary>
/// The words for every capture finding (<see cref="CaptureFindingCodes"/>), in English, Traditional and Simplified
/// Chinese, side by side: what the live guidance shows, what a refused capture's retake lists, and the English message
/// the analysis result carries. One place, so a code never appears in one language only.
/// </summary>
public static class CaptureFindingText
{
    private static readonly Dictionary<string, Phrase> Phrases = new(StringComparer.Ordinal)
    {
        [CaptureFindingCodes.NoFrames] = new(
            _ => "The capture holds no depth frames. Capture again.",
            _ => "這次拍攝沒有深度影像。請再拍一次。",
            _ => "这次拍摄没有深度图像。请再拍一次。"),
        [CaptureFindingCodes.FrameSize] = new(
            v => I($"A frame is {v.Value(0):0}x{v.Value(1):0} but the camera delivers {v.Value(2):0}x{v.Value(3):0}. Capture again."),
            v => I($"有一幀影像是 {v.Value(0):0}x{v.Value(1):0}，但攝影機輸出 {v.Value(2):0}x{v.Value(3):0}。請再拍一次。"),
            v => I($"有一帧图像是 {v.Value(0):0}x{v.Value(1):0}，但摄像头输出 {v.Value(2):0}x{v.Value(3):0}。请再拍一次。")),
        [CaptureFindingCodes.Nobody] = new(
            _ => "Nobody is in view. Ask the child to stand on the footprints with their back to the camera.",
            _ => "畫面中沒有人。請孩子站在腳印上，背向攝影機。",
            _ => "画面中没有人。请孩子站在脚印上，背对摄像头。"),
        [CaptureFindingCodes.TwoPeople] = new(
            _ => "More than one person is in view. Ask everyone but the child to step out of the picture.",
            _ => "畫面中不止一人。請孩子以外的人離開畫面。",
            _ => "画面中不止一人。请孩子以外的人离开画面。"),
        [CaptureFindingCodes.TooNear] = new(
            v => I($"The child is {M(v, 0):0.00} m away, too near. Ask them to step back, to {M(v, 1):0.0} m or more."),
            v => I($"孩子距離 {M(v, 0):0.00} 米，太近了。請孩子後退到 {M(v, 1):0.0} 米或更遠。"),
            v => I($"孩子距离 {M(v, 0):0.00} 米，太近了。请孩子后退到 {M(v, 1):0.0} 米或更远。")),
        [CaptureFindingCodes.TooFar] = new(
            v => I($"The child is {M(v, 0):0.00} m away, too far. Ask them to step closer, to {M(v, 1):0.0} m or less."),
            v => I($"孩子距離 {M(v, 0):0.00} 米，太遠了。請孩子走近到 {M(v, 1):0.0} 米以內。"),
            v => I($"孩子距离 {M(v, 0):0.00} 米，太远了。请孩子走近到 {M(v, 1):0.0} 米以内。")),
        [CaptureFindingCodes.StepLeft] = new(
            v => I($"The child stands {Cm(v, 0):0} cm right of the centre line. Ask them to step left (as you see the picture)."),
            v => I($"孩子站在中線右邊 {Cm(v, 0):0} 厘米。請孩子向左移（以畫面所見為準）。"),
            v => I($"孩子站在中线右边 {Cm(v, 0):0} 厘米。请孩子向左移（以画面所见为准）。")),
        [CaptureFindingCodes.StepRight] = new(
            v => I($"The child stands {Cm(v, 0):0} cm left of the centre line. Ask them to step right (as you see the picture)."),
            v => I($"孩子站在中線左邊 {Cm(v, 0):0} 厘米。請孩子向右移（以畫面所見為準）。"),
            v => I($"孩子站在中线左边 {Cm(v, 0):0} 厘米。请孩子向右移（以画面所见为准）。")),
        [CaptureFindingCodes.CutOff] = new(
            v => $"The child's body touches the {Side(v, "left", "right", "edge")} of the picture. Centre the child and check the camera height.",
            v => $"孩子的身體碰到畫面{Side(v, "左邊", "右邊", "邊緣")}。請讓孩子站到中間，並檢查攝影機高度。",
            v => $"孩子的身体碰到画面{Side(v, "左边", "右边", "边缘")}。请让孩子站到中间，并检查摄像头高度。"),
        [CaptureFindingCodes.CameraTilted] = new(
            v => I($"The camera is tilted (pitch {v.Value(0):0.0}°, roll {v.Value(1):0.0}°; at most {v.Value(2):0}° allowed). Level the camera head for this pose."),
            v => I($"攝影機傾斜了（俯仰 {v.Value(0):0.0}°，側傾 {v.Value(1):0.0}°；最多容許 {v.Value(2):0}°）。請把攝影機頭調正。"),
            v => I($"摄像头倾斜了（俯仰 {v.Value(0):0.0}°，侧倾 {v.Value(1):0.0}°；最多允许 {v.Value(2):0}°）。请把摄像头调正。")),
        [CaptureFindingCodes.ArmsOut] = new(
            _ => "The arms stand out from the body. Ask the child to let the arms hang loosely by the sides.",
            _ => "雙臂離開了身體。請孩子雙臂自然垂在身旁。",
            _ => "双臂离开了身体。请孩子双臂自然垂在身旁。"),
        [CaptureFindingCodes.Moved] = new(
            _ => "The child moved during the capture. Ask them to stand still and breathe out, then capture again.",
            _ => "拍攝時孩子動了。請孩子站定、呼氣，然後再拍一次。",
            _ => "拍摄时孩子动了。请孩子站定、呼气，然后再拍一次。"),
        [CaptureFindingCodes.NotStanding] = new(
            _ => "This looks like a forward bend, but a standing capture was expected. Ask the child to stand upright.",
            _ => "這看來是前彎姿勢，但現在要拍站立姿勢。請孩子站直。",
            _ => "这看来是前弯姿势，但现在要拍站立姿势。请孩子站直。"),
        [CaptureFindingCodes.NotBending] = new(
            _ => "This looks like a standing child, but a forward-bend capture was expected. Ask the child to bend forward, arms hanging, until the back is level.",
            _ => "孩子看來是站着的，但現在要拍前彎姿勢。請孩子向前彎腰、雙臂下垂，直至背部水平。",
            _ => "孩子看来是站着的，但现在要拍前弯姿势。请孩子向前弯腰、双臂下垂，直至背部水平。"),
        [CaptureFindingCodes.TooFewPixels] = new(
            _ => "Too little of the back was measured (strong light, a reflective top, or the child is partly out of view). Check the back is bare and in view, then capture again.",
            _ => "背部量到的部分太少（光線太強、衣物反光，或孩子部分在畫面外）。請確認背部裸露並在畫面內，然後再拍一次。",
            _ => "背部测到的部分太少（光线太强、衣物反光，或孩子部分在画面外）。请确认背部裸露并在画面内，然后再拍一次。"),
        [CaptureFindingCodes.NeckCovered] = new(
            _ => "The base of the neck (C7) is not visible: tie long hair up and away from the neck. Then capture again.",
            _ => "看不到頸部底部（C7）：請把長髮束起、撥離頸部，然後再拍一次。",
            _ => "看不到颈部底部（C7）：请把长发束起、拨离颈部，然后再拍一次。"),
        [CaptureFindingCodes.LowerBackCovered] = new(
            _ => "The lower back (lumbar dimples) is not visible: lower the shorts' waistband to the hips and move the arms away from the body. Then capture again.",
            _ => "看不到下背部（腰窩）：請把褲頭拉低到臀部，雙臂離開身體，然後再拍一次。",
            _ => "看不到下背部（腰窝）：请把裤头拉低到臀部，双臂离开身体，然后再拍一次。"),
        [CaptureFindingCodes.SpineNotFollowed] = new(
            _ => "The spine's line could not be followed from the neck to the lower back. Check nothing covers the back, then capture again.",
            _ => "無法從頸部到下背部追蹤脊柱線。請確認背部沒有遮蓋，然後再拍一次。",
            _ => "无法从颈部到下背部追踪脊柱线。请确认背部没有遮盖，然后再拍一次。"),
        [CaptureFindingCodes.BentBackNotFollowed] = new(
            _ => "The bent back could not be followed from the pelvis to the shoulders. Ask the child to bend until the back is level, arms hanging, hair off the back. Then capture again.",
            _ => "無法從盆骨到肩膀追蹤彎下的背部。請孩子彎腰至背部水平、雙臂下垂、頭髮不要蓋住背部，然後再拍一次。",
            _ => "无法从骨盆到肩膀追踪弯下的背部。请孩子弯腰至背部水平、双臂下垂、头发不要盖住背部，然后再拍一次。"),
    };

    /// <summary>The codes this table has words for (every one of <see cref="CaptureFindingCodes.All"/>).</summary>
    public static IReadOnlyCollection<string> Codes => Phrases.Keys;

    /// <summary>The finding in a language; a code the table does not know is named as it is, never dropped.</summary>
    public static string Describe(CaptureFinding finding, ReportLanguage language)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (!Phrases.TryGetValue(finding.Code, out var phrase))
        {
            return finding.Code;
        }

        return language switch
        {
            ReportLanguage.TraditionalChinese => phrase.TraditionalChinese(finding),
            ReportLanguage.SimplifiedChinese => phrase.SimplifiedChinese(finding),
            _ => phrase.English(finding),
        };
    }

    /// <summary>The English message (what the analysis result and the command line carry).</summary>
    public static string English(CaptureFinding finding) => Describe(finding, ReportLanguage.English);

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double M(CaptureFinding f, int index) => f.Value(index) / 1000;

    private static double Cm(CaptureFinding f, int index) => f.Value(index) / 10;

    private static string Side(CaptureFinding f, string left, string right, string either) =>
        f.Value(0) < 0 ? left : f.Value(0) > 0 ? right : either;

    private sealed record Phrase(Func<CaptureFinding, string> English, Func<CaptureFinding, string> TraditionalChinese, Func<CaptureFinding, string> SimplifiedChinese);
}
