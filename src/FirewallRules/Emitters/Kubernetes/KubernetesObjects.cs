using System.Text;
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
    /// <paramref name="items"/> cut, in order, into the fewest runs whose object (<paramref name="build"/>) fits
    /// <paramref name="maxBytes"/>. Block YAML composes, so an object's size is its frame plus its items' sizes: each
    /// item weighs what it adds to an object holding it twice instead of once, and the frame is what is left.
    /// </summary>
    /// <exception cref="RuleGenerationException">Even one item does not fit (the message names <paramref name="what"/>).</exception>
    public static List<List<T>> Split<T>(IReadOnlyList<T> items, Func<IReadOnlyList<T>, YamlNode> build, int maxBytes, string what)
    {
        int Size(IReadOnlyList<T> chunk) => Encoding.UTF8.GetByteCount(build(chunk).Write());
        int Weight(T item) => Size([item, item]) - Size([item]);
        int frame = Size([items[0]]) - Weight(items[0]);
        int capacity = maxBytes - frame;
        if (items.Any(item => Weight(item) > capacity))
        {
            throw new RuleGenerationException($"{what}: one object would not fit in {maxBytes} bytes even with a single entry",
                new SettingAdvice("raise {0}", SettingNames.Of<KubernetesPolicyOptions>(nameof(KubernetesPolicyOptions.MaxObjectBytes))));
        }

        List<List<T>> chunks = QuotaPacker.Pack(items, Weight, capacity);
        return chunks.Find(chunk => Size(chunk) > maxBytes) is { } oversized
            ? throw new InvalidOperationException($"{what}: an object of {Size(oversized)} bytes passed the {maxBytes}-byte split")
            : chunks;
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
            output.Write(document.Write());
        }
    }
}
