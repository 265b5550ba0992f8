using System.CommandLine;

namespace EventLoop.Samples;

/// <summary>
/// Options whose values are checked while parsing: a bad value is a parse error, which the
/// program reports in one line with exit code 2 (see Program.cs), before any loop starts.
/// </summary>
public static class OptionChecks
{
    /// <summary>A duration in seconds that must be positive (fractions allowed).</summary>
    public static Option<double> Seconds(string name, string description, double defaultSeconds)
    {
        var option = new Option<double>(name) { Description = $"{description} (seconds)", DefaultValueFactory = _ => defaultSeconds };
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0 && value <= TimeSpan.MaxValue.TotalSeconds / 2)) result.AddError($"{name} must be a positive number of seconds, not {value}.");
        });
        return option;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> Range(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < min || value > max) result.AddError($"{name} must be from {min} to {max}, not {value}.");
        });
        return option;
    }
}
