using System.CommandLine;
using System.CommandLine.Parsing;

namespace EventLoop.Samples;

/// <summary>
/// The checks the samples' options share, as System.CommandLine validators: a value out of range
/// is a command-line error (one line naming the option, exit code 2), found before anything runs.
/// </summary>
public static class OptionValidation
{
    /// <summary>Longest interval any sample takes: one day (and no TimeSpan overflow).</summary>
    public const double MaxSeconds = 24 * 60 * 60;

    /// <summary>Accepts <paramref name="min"/> to <paramref name="max"/> inclusive.</summary>
    public static Option<int> MustBeBetween(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out int value) && (value < min || value > max)) result.AddError($"{option.Name} must be between {min} and {max} (got {value}).");
        });
        return option;
    }

    /// <summary>Accepts no value, or at least <paramref name="min"/>.</summary>
    public static Option<int?> MustBeAtLeast(this Option<int?> option, int min)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out int? given) && given is { } value && value < min) result.AddError($"{option.Name} must be at least {min} (got {value}).");
        });
        return option;
    }

    /// <summary>Seconds: a number above 0 and at most <see cref="MaxSeconds"/>.</summary>
    public static Option<double> MustBeAnInterval(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out double value) && !(value > 0 && value <= MaxSeconds)) result.AddError($"{option.Name} must be a number of seconds above 0 and at most {MaxSeconds} (got {value}).");
        });
        return option;
    }

    /// <summary>Text shown on one line: not blank, at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public static Option<string> MustBeOneLineOfText(this Option<string> option, int maxLength)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out string? value)) return;
            if (string.IsNullOrWhiteSpace(value)) result.AddError($"{option.Name} must not be empty.");
            else if (value.Length > maxLength) result.AddError($"{option.Name} must be at most {maxLength} characters (got {value.Length}).");
            else if (value.Any(char.IsControl)) result.AddError($"{option.Name} must not contain control characters such as a newline.");
        });
        return option;
    }

    /// <summary>
    /// The option's value; false when its text did not convert (System.CommandLine reports that
    /// error itself, and a validator must not throw on it).
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>
    /// For a command validator (a rule across options): the option's value, or
    /// <paramref name="defaultValue"/> when it is not on the command line (default results are
    /// added after command validators run); false when its text did not convert.
    /// </summary>
    public static bool TryGetValue<T>(CommandResult command, Option<T> option, T defaultValue, out T value)
    {
        if (command.GetResult(option) is { } result) return TryGetValue(result, out value);
        value = defaultValue;
        return true;
    }
}
