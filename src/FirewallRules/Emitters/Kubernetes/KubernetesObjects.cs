using FirewallRules.Advice;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Kubernetes;

/// <summary>What the three Kubernetes formats share: object metadata, size-bounded splitting, and the multi-document stream.</summary>
internal static class KubernetesObjects
{
    /// <summary>The label every object carries, so that <c>kubectl</c> can find (and prune) what this tool made.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The label naming the output an object belongs to (<see cref="EmitterOptions.Name"/>).</summary>
    public const string PartOfLabel = "app.kubernetes.io/part-of";

    /// <summary><c>metadata</c>: the name, the namespace (none for cluster-wide objects), and the two labels; extra labels first.</summary>
    public static YamlNode Metadata(string name, string? @namespace, string partOf, params (string Key, string Value)[] labels) =>
        YamlNode.Map(
            ("name", YamlNode.Text(name)),
            ("namespace", @namespace is null ? null : YamlNode.Text(@namespace)),
            ("labels", YamlNode.Map([.. labels.Select(l => (l.Key, (YamlNode?)YamlNode.Text(l.Value))),
                (ManagedByLabel, YamlNode.Text("fwrules")), (PartOfLabel, YamlNode.Text(partOf))])));

    /// <summary>A label selector's <c>matchLabels</c>, sorted by key.</summary>
    public static YamlNode MatchLabels(IReadOnlyDictionary<string, string> labels) =>
        YamlNode.Map(("matchLabels", YamlNode.Map([.. labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (l.Key, (YamlNode?)YamlNode.Text(l.Value)))])));

    /// <summary>
    /// <paramref name="prefixes"/> cut, in order, into the fewest runs whose object (<paramref name="build"/>) fits
    /// <paramref name="maxBytes"/>. Block YAML composes, so an object's size is its frame plus its items' sizes, and an
    /// item is a fixed text around its prefix: it weighs that text plus the prefix's length, which comes from the
    /// prefix's numbers. Two objects (of the first prefix, and of the first two) are written to learn the frame and the
    /// fixed text, and one more, the first run, to check the sum; no other object is made to plan.
    /// </summary>
    /// <exception cref="RuleGenerationException">Even one prefix does not fit (the message names <paramref name="what"/>).</exception>
    public static List<PrefixSet> Split(PrefixSet prefixes, Func<PrefixSet, YamlNode> build, int maxBytes, string what)
    {
        int Size(PrefixSet chunk) => build(chunk).ByteCount();
        int one = Size(prefixes.Slice(0, 1));
        int itemText = prefixes.Count > 1 ? Size(prefixes.Slice(0, 2)) - one - YamlNode.ScalarLength(prefixes, 1) : 0;
        int frame = one - itemText - YamlNode.ScalarLength(prefixes, 0);
        int[] weights = new int[prefixes.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = itemText + YamlNode.ScalarLength(prefixes, i);
        }

        int capacity = maxBytes - frame;
        if (weights.Max() > capacity)
        {
            throw new RuleGenerationException($"{what}: one object would not fit in {maxBytes} bytes even with a single entry",
                new SettingAdvice("raise {0}", SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxObjectBytes))));
        }

        List<Range> runs = QuotaPacker.Runs(weights.Length, i => weights[i], capacity);
        int planned = frame + weights[runs[0]].Sum();
        List<PrefixSet> chunks = [.. runs.Select(run => prefixes.Slice(run.Start.Value, run.End.Value - run.Start.Value))];
        int written = Size(chunks[0]);
        return written == planned ? chunks : throw new InvalidOperationException($"{what}: an object planned at {planned} bytes was written in {written}");
    }

    /// <summary>
    /// The longest name a part of an object split from <paramref name="itemCount"/> items can get, to size the parts by:
    /// <c>base-</c> and as many digits as the count has.
    /// </summary>
    public static string LongestPartName(string baseName, int itemCount) =>
        $"{baseName}-{new string('9', itemCount.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)}";

    /// <summary>The names of <paramref name="count"/> objects split from one: <c>base</c>, or <c>base-1</c>, <c>base-2</c> ...</summary>
    public static string PartName(string baseName, int index, int count) => count == 1 ? baseName : $"{baseName}-{index + 1}";

    /// <summary>Checks a name an object will carry.</summary>
    /// <exception cref="RuleGenerationException">It is not an RFC 1123 subdomain.</exception>
    public static string CheckName(string name) =>
        KubernetesNames.IsDnsSubdomain(name)
            ? name
            : throw new RuleGenerationException($"'{name}' cannot name a Kubernetes object",
                new SettingAdvice("use a lowercase name prefix ({0}) of letters, digits and -", SettingNames.Of<EmitterOptions>(nameof(EmitterOptions.Name))));

    /// <summary>Writes the header as comments (when wanted), then each document after <c>---</c>.</summary>
    public static void Write(TextWriter output, bool comments, IEnumerable<string> header, IEnumerable<YamlNode> documents)
    {
        if (comments)
        {
            CommentText.Write(output, "#", header);
        }

        foreach (YamlNode document in documents)
        {
            output.Write("---\n");
            document.Write(output);
        }
    }
}
