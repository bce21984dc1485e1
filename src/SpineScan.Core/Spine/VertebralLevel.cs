namespace SpineScan.Core.Spine;

/// <summary>
/// Vertebral levels from C7 to S1, numbered consecutively top to bottom: the one level vocabulary of the analysis,
/// the phantom and the wire (by name). The surface measures C7..L5; S1 closes the phantom's spine.
/// </summary>
public enum VertebralLevel
{
    C7 = 0,
    T1,
    T2,
    T3,
    T4,
    T5,
    T6,
    T7,
    T8,
    T9,
    T10,
    T11,
    T12,
    L1,
    L2,
    L3,
    L4,
    L5,
    S1,
}
