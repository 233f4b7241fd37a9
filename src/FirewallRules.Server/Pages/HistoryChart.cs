using System.Globalization;
using System.Text;

namespace FirewallRules.Server.Pages;

/// <summary>
/// Inline SVG charts, drawn by the server, of each section's addresses over the stored versions, one chart per address
/// family (IPv4 sections hold thousands of addresses, IPv6 ones around 1e20, so one axis would flatten one of them): one
/// line per section, one point per version (log scale, since sections differ by orders of magnitude). Colours come from
/// the stylesheet, so the charts follow the light or dark theme and need no inline style.
/// </summary>
internal static class HistoryChart
{
    private const int Width = 720;
    private const int Height = 300;
    private const int Left = 56;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 36;
    private const int Colours = 12;
    private const double MaxAxisLabels = 12;

    /// <summary>Writes the IPv4 and the IPv6 chart, with their legend, into <paramref name="page"/>.</summary>
    public static void Write(Html page, IReadOnlyList<VersionRecord> versions)
    {
        string[] sections = [.. versions.SelectMany(v => v.Sections.Select(s => s.Name)).Distinct(StringComparer.Ordinal)];
        foreach ((string family, Func<PrefixSet, UInt128> count) in new (string, Func<PrefixSet, UInt128>)[]
        {
            ("IPv4", prefixes => prefixes.IPv4AddressCount),
            ("IPv6", prefixes => prefixes.IPv6AddressCount),
        })
        {
            WriteChart(page, versions, sections, family, count);
        }

        page.Raw("<ul class=\"legend\">");
        for (int i = 0; i < sections.Length; i++)
        {
            page.Raw("<li><span class=\"swatch s").Raw(Format(i % Colours)).Raw("\"></span>").Text(sections[i]).Raw("</li>");
        }

        page.Raw("</ul>");
    }

    private static void WriteChart(Html page, IReadOnlyList<VersionRecord> versions, string[] sections, string family, Func<PrefixSet, UInt128> count)
    {
        double max = Math.Max(10, versions.SelectMany(v => v.Sections).Select(s => (double)count(s.Prefixes)).DefaultIfEmpty(0).Max());
        double top = Math.Ceiling(Math.Log10(max));
        string id = "chart-" + family.ToLowerInvariant();
        page.Raw("<figure><svg class=\"chart\" id=\"").Raw(id).Raw("\" data-family=\"").Raw(family).Raw("\" role=\"img\" aria-labelledby=\"")
            .Raw(id).Raw("-title\" viewBox=\"0 0 ").Raw(Format(Width)).Raw(" ").Raw(Format(Height))
            .Raw("\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"").Raw(id).Raw("-title\">")
            .Text($"{family} addresses per section over {versions.Count} versions").Raw("</title>");
        WriteAxes(page, versions, top);
        for (int i = 0; i < sections.Length; i++)
        {
            WriteSeries(page, versions, (sections[i], i), family, count, top);
        }

        page.Raw("</svg><figcaption>").Text(family).Raw(" addresses per section (logarithmic scale), one point per stored version, oldest on the left.")
            .Raw("</figcaption></figure>");
    }

    private static void WriteAxes(Html page, IReadOnlyList<VersionRecord> versions, double top)
    {
        page.Raw("<g class=\"axes\" aria-hidden=\"true\">");
        int labelled = Math.Max(1, (int)Math.Ceiling((top + 1) / MaxAxisLabels)); // IPv6 reaches 1e22: every other power
        for (int power = 0; power <= (int)top; power += labelled)
        {
            double y = Y(Math.Pow(10, power), top);
            page.Raw("<line class=\"axis\" x1=\"").Raw(Format(Left)).Raw("\" x2=\"").Raw(Format(Width - Right)).Raw("\" y1=\"").Raw(Format(y))
                .Raw("\" y2=\"").Raw(Format(y)).Raw("\"/><text x=\"4\" y=\"").Raw(Format(y + 4)).Raw("\">1e").Raw(Format(power)).Raw("</text>");
        }

        int step = Math.Max(1, versions.Count / 8);
        for (int i = 0; i < versions.Count; i += step)
        {
            page.Raw("<text x=\"").Raw(Format(X(i, versions.Count) - 8)).Raw("\" y=\"").Raw(Format(Height - 12)).Raw("\">v")
                .Number(versions[i].Version).Raw("</text>");
        }

        page.Raw("</g>");
    }

    private static void WriteSeries(
        Html page, IReadOnlyList<VersionRecord> versions, (string Name, int Index) section, string family, Func<PrefixSet, UInt128> count, double top)
    {
        var points = new StringBuilder();
        var marks = new List<(double X, double Y, long Version, UInt128 Addresses)>();
        for (int i = 0; i < versions.Count; i++)
        {
            UInt128 addresses = versions[i].Find(section.Name) is { } prefixes ? count(prefixes) : UInt128.Zero;
            (double x, double y) = (X(i, versions.Count), Y((double)addresses, top));
            points.Append(Format(x)).Append(',').Append(Format(y)).Append(' ');
            marks.Add((x, y, versions[i].Version, addresses));
        }

        string colour = Format(section.Index % Colours);
        page.Raw("<g class=\"series s").Raw(colour).Raw("\" data-section=\"").Text(section.Name).Raw("\"><polyline class=\"s").Raw(colour)
            .Raw("\" points=\"").Raw(points.ToString().TrimEnd()).Raw("\"/>");
        foreach ((double x, double y, long version, UInt128 addresses) in marks)
        {
            page.Raw("<circle class=\"point s").Raw(colour).Raw("\" r=\"3\" cx=\"").Raw(Format(x)).Raw("\" cy=\"").Raw(Format(y))
                .Raw("\" data-version=\"").Raw(Format(version)).Raw("\"><title>").Text(section.Name).Raw(" v").Raw(Format(version)).Raw(": ")
                .Number(addresses).Raw(" ").Raw(family).Raw(" addresses</title></circle>");
        }

        page.Raw("</g>");
    }

    private static double X(int index, int count) =>
        count <= 1 ? (Left + Width - Right) / 2.0 : Left + (index * (double)(Width - Left - Right) / (count - 1));

    private static double Y(double addresses, double top) =>
        Height - Bottom - (addresses < 1 ? 0 : Math.Log10(addresses) / top * (Height - Top - Bottom));

    private static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
