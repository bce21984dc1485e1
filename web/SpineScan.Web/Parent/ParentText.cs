using SpineScan.Contracts;

namespace SpineScan.Web.Parent;

/// <summary>The parent report's plain-language text in one language.</summary>
public sealed record ParentText(
    string Code,
    string Title,
    string ResultHeading,
    string NextHeading,
    string MeasuredHeading,
    string Measured,
    string CobbLabel,
    string AtrLabel,
    string Disclaimer,
    string HeatMapHeading,
    string HeatMapHelp,
    string Pdf,
    string NotFound,
    string Expired,
    string TooMany,
    string Normal,
    string Rescreen,
    string Refer,
    string Retake,
    string NextNormal,
    string NextRescreen,
    string NextRefer,
    string NextRetake)
{
    public static readonly ParentText English = new(
        "en",
        "Spine screening report",
        "Result",
        "What to do next",
        "What was measured",
        "A depth camera measured the shape of your child's back, standing and bending forward. No X-rays were used.",
        "Estimated spinal curve (Cobb angle)",
        "Trunk rotation when bending forward (ATR)",
        "This is a screening, not a diagnosis. Only a doctor can diagnose scoliosis.",
        "Back surface map",
        "Colours show the distance from the camera: red is nearer, blue is further. A lopsided pattern may show a rotated trunk.",
        "Download the report (PDF)",
        "This link is not valid. Please check the address on the slip.",
        "This link has expired or was withdrawn. Please contact the school nurse.",
        "Too many attempts. Please wait a minute and try again.",
        "No sign of scoliosis",
        "Re-screening advised",
        "Referral to a doctor advised",
        "The scan needs to be repeated",
        "No action is needed. Your child will be screened again at the next school screening.",
        "Your child's back should be checked again in 6 to 12 months. The school will arrange this.",
        "Please take your child to a doctor or an orthopaedic clinic for an examination, which may include an X-ray. Bring this report.",
        "The scan was not clear enough. The school will repeat it.");

    public static readonly ParentText TraditionalChinese = new(
        "zh-Hant",
        "脊柱篩查報告",
        "結果",
        "下一步",
        "量度了甚麼",
        "深度攝影機量度了孩子站立及向前彎腰時背部的形狀，過程沒有使用X光。",
        "估計脊柱側彎角度（Cobb角）",
        "向前彎腰時軀幹旋轉角度（ATR）",
        "這是篩查，並非診斷。只有醫生才能診斷脊柱側彎。",
        "背部表面圖",
        "顏色表示與攝影機的距離：紅色較近，藍色較遠。左右不對稱可能表示軀幹旋轉。",
        "下載報告（PDF）",
        "此連結無效，請核對通知單上的網址。",
        "此連結已過期或已被撤回，請聯絡學校護士。",
        "嘗試次數過多，請稍候一分鐘再試。",
        "沒有脊柱側彎跡象",
        "建議再次篩查",
        "建議轉介醫生",
        "需要重新掃描",
        "無需採取行動。孩子將於下次學校篩查時再次檢查。",
        "孩子的背部應於6至12個月內再次檢查，學校會作出安排。",
        "請帶孩子到醫生或骨科診所檢查，可能包括X光檢查。請帶同此報告。",
        "掃描不夠清晰，學校會重新掃描。");

    public static readonly ParentText SimplifiedChinese = new(
        "zh-Hans",
        "脊柱筛查报告",
        "结果",
        "下一步",
        "测量了什么",
        "深度摄像头测量了孩子站立和向前弯腰时背部的形状，过程没有使用X光。",
        "估计脊柱侧弯角度（Cobb角）",
        "向前弯腰时躯干旋转角度（ATR）",
        "这是筛查，不是诊断。只有医生才能诊断脊柱侧弯。",
        "背部表面图",
        "颜色表示与摄像头的距离：红色较近，蓝色较远。左右不对称可能表示躯干旋转。",
        "下载报告（PDF）",
        "此链接无效，请核对通知单上的网址。",
        "此链接已过期或已被撤回，请联系学校护士。",
        "尝试次数过多，请等待一分钟后再试。",
        "没有脊柱侧弯迹象",
        "建议再次筛查",
        "建议转诊医生",
        "需要重新扫描",
        "无需采取行动。孩子将在下次学校筛查时再次检查。",
        "孩子的背部应在6至12个月内再次检查，学校会作出安排。",
        "请带孩子到医生或骨科诊所检查，可能包括X光检查。请带上此报告。",
        "扫描不够清晰，学校会重新扫描。");

    public string Category(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => Refer,
        ScreeningCategory.Rescreen => Rescreen,
        ScreeningCategory.Retake => Retake,
        _ => Normal,
    };

    public string Next(ScreeningCategory category) => category switch
    {
        ScreeningCategory.Refer => NextRefer,
        ScreeningCategory.Rescreen => NextRescreen,
        ScreeningCategory.Retake => NextRetake,
        _ => NextNormal,
    };

    /// <summary>The explicit choice, then the cookie, then the browser's Accept-Language, then English.</summary>
    public static ParentText Pick(string? explicitChoice, string? cookie, string? acceptLanguage)
    {
        foreach (var candidate in new[] { explicitChoice, cookie })
        {
            if (FromTag(candidate) is { } chosen)
            {
                return chosen;
            }
        }

        foreach (var part in (acceptLanguage ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (FromTag(part.Split(';')[0]) is { } chosen)
            {
                return chosen;
            }
        }

        return English;
    }

    private static ParentText? FromTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var t = tag.Trim().ToUpperInvariant();
        if (t is "ZH-HANT" or "ZH-TW" or "ZH-HK" or "ZH-MO" || t.StartsWith("ZH-HANT", StringComparison.Ordinal))
        {
            return TraditionalChinese;
        }

        if (t is "ZH" or "ZH-HANS" or "ZH-CN" or "ZH-SG" || t.StartsWith("ZH-HANS", StringComparison.Ordinal))
        {
            return SimplifiedChinese;
        }

        return t.StartsWith("EN", StringComparison.Ordinal) ? English : null;
    }
}
