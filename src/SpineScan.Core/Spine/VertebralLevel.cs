namespace SpineScan.Core.Spine;

/// <summary>Vertebral levels from C7 to L5, numbered consecutively top to bottom.</summary>
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
}
