using System.Globalization;
using System.Text;
using FirewallRules.AgentConfig;
using FirewallRules.Ranges;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The agent configuration guide's table of mapped features is generated from <see cref="FeatureMap"/>: the part of
/// docs/operations/agent-config.md between its two markers is what <see cref="Render"/> makes of the rows, so a row
/// added, changed or removed in the code reaches the guide or fails here. <c>UPDATE_GOLDEN=1</c> rewrites that part.
/// </summary>
[TestFixture]
public sealed class FeatureMapDocsTests
{
    private const string Start = "<!-- generated from FeatureMap.Rows by FeatureMapDocsTests: UPDATE_GOLDEN=1 rewrites it -->";
    private const string End = "<!-- end of the generated table -->";

    private const string ShortStart = "<!-- generated from FeatureMap.Rows by FeatureMapDocsTests (short form): UPDATE_GOLDEN=1 rewrites it -->";

    [Test]
    public void AgentConfigGuide_TableOfMappedFeatures_IsTheOneTheRowsMake() =>
        AssertGenerated(Path.Combine("docs", "operations", "agent-config.md"), Start, Render(FeatureMap.Rows));

    [Test]
    public void Readme_ShortTableOfMappedFeatures_IsTheOneTheRowsMake() => AssertGenerated("README.md", ShortStart, RenderShort(FeatureMap.Rows));

    private static void AssertGenerated(string relative, string startMarker, string table)
    {
        string path = Path.Combine(TestData.RepositoryRoot, relative);
        string guide = File.ReadAllText(path);
        int start = guide.IndexOf(startMarker, StringComparison.Ordinal);
        int end = start < 0 ? -1 : guide.IndexOf(End, start, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0).And.LessThan(end), $"{relative} has lost the generated table's markers");
        string current = guide[(start + startMarker.Length)..end];
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1" && current != table)
        {
            File.WriteAllText(path, guide[..(start + startMarker.Length)] + table + guide[end..]);
            Assert.Warn($"rewrote the feature table of {relative}; review it before committing");
            return;
        }

        Assert.That(current, Is.EqualTo(table), $"{relative}'s feature table differs from FeatureMap.Rows: run with UPDATE_GOLDEN=1");
    }

    [Test]
    public void Render_OneFeatureOnTwoKeys_IsOneLineNamingBoth()
    {
        FeatureRow[] rows = [.. FeatureMap.Rows.Where(r => r.Feature == "ndm")];
        Assume.That(rows, Has.Length.EqualTo(2), "the map no longer has ndm on two keys: pick another such feature");

        string[] lines = Render(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines, Has.Length.EqualTo(3), "heading, rule and one line for the feature");
        Assert.That(lines[2], Does.Contain($"`{rows[0].Key}`").And.Contain($"`{rows[1].Key}`"));
    }

    /// <summary>The table: one line per feature and host (rows that differ only in their key are one line naming every key).</summary>
    internal static string Render(IEnumerable<FeatureRow> rows)
    {
        var text = new StringBuilder("\n| feature | host | port | ip-ranges section | turned on by (default) | agent versions | source |\n");
        text.Append("| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (IGrouping<(string, string, int), FeatureRow> feature in rows.GroupBy(r => (r.Feature, r.Prefix, r.Port)))
        {
            FeatureRow row = feature.First();
            string keys = string.Join(" or ",
                feature.Select(r => $"`{r.Key}` ({r.DefaultText})"));
            string also = row.AlsoNeeds is null ? string.Empty : $", with `{row.AlsoNeeds}`";
            string section = row.Section is Section s ? Sections.GetName(s) : "by name only";
            text.Append(CultureInfo.InvariantCulture,
                $"| {row.Feature} | `{row.Prefix}<domain>` | {row.Port}/tcp | {section} | {keys}{also} | {Versions(row)} | {Cell(row.Source)} |\n");
        }

        return text.Append('\n').ToString();
    }

    /// <summary>The README's form: feature, host, port, section, default and agent versions, one line per feature and host.</summary>
    internal static string RenderShort(IEnumerable<FeatureRow> rows)
    {
        var text = new StringBuilder("\n| feature | host | port | ip-ranges section | default | agent versions |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (IGrouping<(string, string, int), FeatureRow> feature in rows.GroupBy(r => (r.Feature, r.Prefix, r.Port)))
        {
            FeatureRow row = feature.First();
            string section = row.Section is Section s ? Sections.GetName(s) : "by name only";
            string defaults = string.Join(" or ", feature.Select(r => r.DefaultText).Distinct());
            text.Append(CultureInfo.InvariantCulture, $"| {row.Feature} | `{row.Prefix}<domain>` | {row.Port}/tcp | {section} | {defaults} | {Versions(row)} |\n");
        }

        return text.Append('\n').ToString();
    }

    private static string Versions(FeatureRow row) =>
        row.FirstVersion is null ? "6, 7" : row.FirstVersion + "+";

    // A source quotes URLs with <site> in them: Markdown would read that as a tag.
    private static string Cell(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
