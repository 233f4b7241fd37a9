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
    private const int Colours = 8;
    private const double MaxAxisLabels = 12;

    // IPv4 in addresses; IPv6 in /64 networks, as the other pages and fwrules diff count it (Datadog's IPv6 ranges are /64 or shorter).
    private static readonly Family[] Families =
    [
        new("IPv4", "addresses", prefixes => prefixes.IPv4AddressCount),
        new("IPv6", "/64 networks", prefixes => prefixes.IPv6AddressCount >> 64),
    ];

    /// <summary>Writes the IPv4 and the IPv6 chart, with their legend, into <paramref name="page"/>.</summary>
    public static void Write(Html page, IReadOnlyList<VersionRecord> versions)
    {
        string[] sections = [.. versions.SelectMany(v => v.Sections.Select(s => s.Name)).Distinct(StringComparer.Ordinal)];
        foreach (Family family in Families)
        {
            WriteChart(page, versions, sections, family);
        }

        page.Raw("<ul class=\"legend\">");
        for (int i = 0; i < sections.Length; i++)
        {
            page.Raw("<li><svg class=\"key\" viewBox=\"0 0 28 10\" aria-hidden=\"true\"><line class=\"").Raw(Style(i))
                .Raw("\" x1=\"1\" y1=\"5\" x2=\"27\" y2=\"5\"/></svg>").Text(sections[i]).Raw("</li>");
        }

        page.Raw("</ul>");
    }

    /// <summary>
    /// A series' line: one of <see cref="Colours"/> colours of the Okabe–Ito palette (the stylesheet's <c>.s0</c> to <c>.s7</c>,
    /// light and dark), dashed from the ninth section on, so that no two sections look alike.
    /// </summary>
    private static string Style(int index) => "s" + Format(index % Colours) + (index >= Colours ? " dashed" : string.Empty);

    private static void WriteChart(Html page, IReadOnlyList<VersionRecord> versions, string[] sections, Family family)
    {
        double max = Math.Max(10, versions.SelectMany(v => v.Sections).Select(s => (double)family.Count(s.Prefixes)).DefaultIfEmpty(0).Max());
        double top = Math.Ceiling(Math.Log10(max));
        string id = "chart-" + family.Name.ToLowerInvariant();
        page.Raw("<figure><svg class=\"chart\" id=\"").Raw(id).Raw("\" data-family=\"").Raw(family.Name).Raw("\" role=\"img\" aria-labelledby=\"")
            .Raw(id).Raw("-title\" viewBox=\"0 0 ").Raw(Format(Width)).Raw(" ").Raw(Format(Height))
            .Raw("\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"").Raw(id).Raw("-title\">")
            .Text($"{family.Name} {family.Unit} per section over {versions.Count} versions").Raw("</title>");
        WriteAxes(page, versions, top);
        for (int i = 0; i < sections.Length; i++)
        {
            WriteSeries(page, versions, (sections[i], i), family, top);
        }

        page.Raw("</svg><figcaption>").Text(family.Name).Raw(" ").Text(family.Unit).Raw(" per section (logarithmic scale), one point per stored version, oldest on the left.")
            .Raw("</figcaption></figure>");
    }

    private static void WriteAxes(Html page, IReadOnlyList<VersionRecord> versions, double top)
    {
        page.Raw("<g class=\"axes\" aria-hidden=\"true\">");
        int labelled = Math.Max(1, (int)Math.Ceiling((top + 1) / MaxAxisLabels)); // a chart past 1e11: every other power
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
        Html page, IReadOnlyList<VersionRecord> versions, (string Name, int Index) section, Family family, double top)
    {
        var points = new StringBuilder();
        var marks = new List<(double X, double Y, long Version, UInt128 Addresses)>();
        for (int i = 0; i < versions.Count; i++)
        {
            UInt128 addresses = versions[i].Find(section.Name) is { } prefixes ? family.Count(prefixes) : UInt128.Zero;
            (double x, double y) = (X(i, versions.Count), Y((double)addresses, top));
            points.Append(Format(x)).Append(',').Append(Format(y)).Append(' ');
            marks.Add((x, y, versions[i].Version, addresses));
        }

        string style = Style(section.Index);
        page.Raw("<g class=\"series ").Raw(style).Raw("\" data-section=\"").Text(section.Name).Raw("\"><polyline class=\"").Raw(style)
            .Raw("\" points=\"").Raw(points.ToString().TrimEnd()).Raw("\"/>");
        foreach ((double x, double y, long version, UInt128 addresses) in marks)
        {
            page.Raw("<circle class=\"point ").Raw(style).Raw("\" r=\"3\" cx=\"").Raw(Format(x)).Raw("\" cy=\"").Raw(Format(y))
                .Raw("\" data-version=\"").Raw(Format(version)).Raw("\"><title>").Text(section.Name).Raw(" v").Raw(Format(version)).Raw(": ")
                .Number(addresses).Raw(" ").Raw(family.Name).Raw(" ").Raw(family.Unit).Raw("</title></circle>");
        }

        page.Raw("</g>");
    }

    private static double X(int index, int count) =>
        count <= 1 ? (Left + Width - Right) / 2.0 : Left + (index * (double)(Width - Left - Right) / (count - 1));

    private static double Y(double addresses, double top) =>
        Height - Bottom - (addresses < 1 ? 0 : Math.Log10(addresses) / top * (Height - Top - Bottom));

    private static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One chart: its family, the unit it counts in, and a section's size in that unit.</summary>
    private sealed record Family(string Name, string Unit, Func<PrefixSet, UInt128> Count);
}
