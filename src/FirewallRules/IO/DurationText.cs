using System.Globalization;
using System.Text.RegularExpressions;

namespace FirewallRules.IO;

/// <summary>Durations as people type them on a command line or in a configuration file: <c>0</c>, <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c>, <c>1h30m</c>.</summary>
internal static partial class DurationText
{
    /// <summary>Reads <paramref name="text"/>; false for anything else, including overflow.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        Match match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        try
        {
            foreach (Capture part in match.Groups["part"].Captures)
            {
                long count = long.Parse(part.Value.TrimEnd('s', 'm', 'h', 'd', 'w'), NumberStyles.None, CultureInfo.InvariantCulture);
                value += part.Value[^1] switch
                {
                    's' => TimeSpan.FromSeconds(count),
                    'm' => TimeSpan.FromMinutes(count),
                    'h' => TimeSpan.FromHours(count),
                    'd' => TimeSpan.FromDays(count),
                    _ => TimeSpan.FromDays(checked(count * 7)),
                };
            }

            return true;
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The shortest text <see cref="TryParse"/> reads back as <paramref name="value"/> (whole seconds).</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0";
        }

        (long Size, char Unit)[] units = [(7 * 86400, 'w'), (86400, 'd'), (3600, 'h'), (60, 'm'), (1, 's')];
        long seconds = (long)value.TotalSeconds;
        var text = new System.Text.StringBuilder();
        foreach ((long size, char unit) in units)
        {
            if (seconds >= size)
            {
                text.Append(CultureInfo.InvariantCulture, $"{seconds / size}{unit}");
                seconds %= size;
            }
        }

        return text.Length > 0 ? text.ToString() : "0";
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,9}[smhdw])+$")]
    private static partial Regex Pattern();
}
