namespace SpineScan.Phantom;

/// <summary>
/// Monotone cubic Hermite interpolation (Fritsch-Carlson): smooth, passes through the knots, never overshoots
/// between them (so a tilt profile never exceeds its end-vertebra values). Constant outside the knot range.
/// </summary>
internal sealed class MonotoneSpline
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _m;

    public MonotoneSpline(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length || x.Length < 2)
        {
            throw new ArgumentException("A spline needs at least two knots with one value each.", nameof(x));
        }

        _x = x.ToArray();
        _y = y.ToArray();
        var n = _x.Length;
        for (var i = 1; i < n; i++)
        {
            if (!(_x[i] > _x[i - 1]))
            {
                throw new ArgumentException("Spline knots must increase strictly.", nameof(x));
            }
        }

        var delta = new double[n - 1];
        for (var i = 0; i < n - 1; i++)
        {
            delta[i] = (_y[i + 1] - _y[i]) / (_x[i + 1] - _x[i]);
        }

        _m = new double[n];
        _m[0] = delta[0];
        _m[n - 1] = delta[n - 2];
        for (var i = 1; i < n - 1; i++)
        {
            _m[i] = delta[i - 1] * delta[i] <= 0 ? 0 : (delta[i - 1] + delta[i]) / 2;
        }

        for (var i = 0; i < n - 1; i++)
        {
            if (delta[i] == 0)
            {
                _m[i] = 0;
                _m[i + 1] = 0;
                continue;
            }

            var a = _m[i] / delta[i];
            var b = _m[i + 1] / delta[i];
            var s = (a * a) + (b * b);
            if (s > 9)
            {
                var t = 3 / Math.Sqrt(s);
                _m[i] = t * a * delta[i];
                _m[i + 1] = t * b * delta[i];
            }
        }
    }

    public double Evaluate(double x)
    {
        if (x <= _x[0])
        {
            return _y[0];
        }

        var n = _x.Length;
        if (x >= _x[n - 1])
        {
            return _y[n - 1];
        }

        var i = Array.BinarySearch(_x, x);
        if (i >= 0)
        {
            return _y[i];
        }

        i = ~i - 1;
        var h = _x[i + 1] - _x[i];
        var t = (x - _x[i]) / h;
        var t2 = t * t;
        var t3 = t2 * t;
        return (((2 * t3) - (3 * t2) + 1) * _y[i]) + ((t3 - (2 * t2) + t) * h * _m[i]) + (((-2 * t3) + (3 * t2)) * _y[i + 1]) + ((t3 - t2) * h * _m[i + 1]);
    }
}

/// <summary>A function of one variable sampled on a regular grid, read back by linear interpolation (clamped at the ends).</summary>
internal sealed class SampledFunction
{
    private readonly double[] _values;

    public SampledFunction(double start, double step, double[] values)
    {
        Start = start;
        Step = step;
        _values = values;
    }

    public double Start { get; }

    public double Step { get; }

    public double End => Start + ((_values.Length - 1) * Step);

    public double Evaluate(double x)
    {
        var f = (x - Start) / Step;
        if (f <= 0)
        {
            return _values[0];
        }

        var last = _values.Length - 1;
        if (f >= last)
        {
            return _values[last];
        }

        var i = (int)f;
        var t = f - i;
        return _values[i] + (t * (_values[i + 1] - _values[i]));
    }

    public static SampledFunction Sample(double start, double end, double step, Func<double, double> function)
    {
        var count = (int)Math.Ceiling((end - start) / step) + 1;
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = function(start + (i * step));
        }

        return new SampledFunction(start, step, values);
    }
}

internal static class Smooth
{
    public static double Step(double edge0, double edge1, double x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - (2 * t));
    }

    public static double Gauss(double d, double sigma) => Math.Exp(-(d * d) / (2 * sigma * sigma));

    /// <summary>A smooth maximum: within about <paramref name="k"/> of the larger value, equal to it far away.</summary>
    public static double Max(double a, double b, double k) => (a + b + Math.Sqrt(((a - b) * (a - b)) + (k * k))) / 2;

    public static double Deg(double radians) => radians * 180.0 / Math.PI;

    public static double Rad(double degrees) => degrees * Math.PI / 180.0;
}
