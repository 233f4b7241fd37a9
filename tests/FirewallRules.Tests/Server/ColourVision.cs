using System.Globalization;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Server;

/// <summary>
/// How far apart two colours look, with normal vision and with each colour-vision deficiency (protanopia, deuteranopia,
/// tritanopia, simulated by Machado, Oliveira and Fernandes' 2009 matrices at full severity on linear sRGB), as the
/// CIE76 ΔE of their CIELAB values; and the WCAG contrast ratio of two colours.
/// </summary>
internal static partial class ColourVision
{
    /// <summary>The visions compared: normal, then the three dichromacies.</summary>
    public static readonly IReadOnlyDictionary<string, double[,]?> Visions = new Dictionary<string, double[,]?>
    {
        ["normal"] = null,
        ["protanopia"] = new[,] { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
        ["deuteranopia"] = new[,] { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
        ["tritanopia"] = new[,] { { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, 0.691367, 0.303900 } },
    };

    /// <summary>A CSS computed colour, <c>rgb(0, 114, 178)</c>, as linear sRGB.</summary>
    public static double[] Parse(string css)
    {
        Match match = Rgb().Match(css);
        Assert.That(match.Success, Is.True, $"not an rgb() colour: {css}");
        return [.. Enumerable.Range(1, 3).Select(i => Linear(double.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) / 255))];
    }

    /// <summary>The CIE76 colour difference of two colours as a person with <paramref name="vision"/> sees them.</summary>
    public static double Difference(double[] a, double[] b, string vision)
    {
        double[] labA = Lab(Simulate(a, Visions[vision]));
        double[] labB = Lab(Simulate(b, Visions[vision]));
        return Math.Sqrt(Enumerable.Range(0, 3).Sum(i => Math.Pow(labA[i] - labB[i], 2)));
    }

    /// <summary>The WCAG 2 contrast ratio of two colours (1 to 21).</summary>
    public static double Contrast(double[] a, double[] b)
    {
        (double lighter, double darker) = (Math.Max(Luminance(a), Luminance(b)), Math.Min(Luminance(a), Luminance(b)));
        return (lighter + 0.05) / (darker + 0.05);
    }

    private static double Luminance(double[] c) => (0.2126 * c[0]) + (0.7152 * c[1]) + (0.0722 * c[2]);

    private static double Linear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static double[] Simulate(double[] c, double[,]? m) => m is null
        ? c
        : [.. Enumerable.Range(0, 3).Select(i => Math.Clamp((m[i, 0] * c[0]) + (m[i, 1] * c[1]) + (m[i, 2] * c[2]), 0, 1))];

    private static double[] Lab(double[] c)
    {
        double x = ((0.4124 * c[0]) + (0.3576 * c[1]) + (0.1805 * c[2])) / 0.95047;
        double y = Luminance(c);
        double z = ((0.0193 * c[0]) + (0.1192 * c[1]) + (0.9505 * c[2])) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116);
        return [(116 * F(y)) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z))];
    }

    [GeneratedRegex(@"^rgb\((\d+), (\d+), (\d+)\)$")]
    private static partial Regex Rgb();
}
