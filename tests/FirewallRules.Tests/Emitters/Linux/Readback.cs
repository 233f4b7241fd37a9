using System.Net;
using System.Text.Json;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>Reads back what the kernel holds, in the tools' own words, and what the rules say it should hold.</summary>
internal static class Readback
{
    /// <summary>The elements of every set in <c>table inet <paramref name="table"/></c>, from <c>nft -j</c>, canonical and sorted.</summary>
    public static Dictionary<string, string[]> NftSets(NetworkNamespace ns, string table)
    {
        using JsonDocument json = JsonDocument.Parse(ns.Exec("nft", "-j", "list", "table", "inet", table).Succeeded());
        var sets = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (JsonElement item in json.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("set", out JsonElement set))
            {
                string[] elements = set.TryGetProperty("elem", out JsonElement elem) ? elem.EnumerateArray().Select(NftElement).ToArray() : [];
                sets[set.GetProperty("name").GetString()!] = Sorted(elements);
            }
        }

        return sets;
    }

    /// <summary>The base chains of <c>table inet <paramref name="table"/></c>: name, hook and policy.</summary>
    public static (string Name, string? Hook, string? Policy)[] NftChains(NetworkNamespace ns, string table)
    {
        using JsonDocument json = JsonDocument.Parse(ns.Exec("nft", "-j", "list", "table", "inet", table).Succeeded());
        return json.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty("chain", out _))
            .Select(item => item.GetProperty("chain"))
            .Select(chain => (
                chain.GetProperty("name").GetString()!,
                chain.TryGetProperty("hook", out JsonElement hook) ? hook.GetString() : null,
                chain.TryGetProperty("policy", out JsonElement policy) ? policy.GetString() : null))
            .ToArray();
    }

    /// <summary>The members of every set, from <c>ipset save</c>, canonical and sorted.</summary>
    public static Dictionary<string, string[]> IpsetSets(NetworkNamespace ns)
    {
        var sets = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string line in ns.Exec("ipset", "save").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] words = line.Split(' ');
            if (words[0] == "create")
            {
                sets[words[1]] = [];
            }
            else if (words[0] == "add")
            {
                sets[words[1]].Add(Canonical(words[2]));
            }
        }

        return sets.ToDictionary(s => s.Key, s => Sorted(s.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// Every set's type from <c>ipset save</c>, without what the kernel sizes or draws itself (<c>hashsize</c>, which grows
    /// with the set, <c>bucketsize</c> and the random <c>initval</c>), e.g. <c>hash:net family inet maxelem 65536</c>.
    /// </summary>
    public static Dictionary<string, string> IpsetTypes(NetworkNamespace ns)
    {
        string[] sized = ["hashsize", "bucketsize", "initval"];
        return ns.Exec("ipset", "save").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(words => words[0] == "create")
            .ToDictionary(
                words => words[1],
                words => string.Join(' ', words[2..].Where((word, i) => !sized.Contains(word) && (i == 0 || !sized.Contains(words[2..][i - 1])))),
                StringComparer.Ordinal);
    }

    /// <summary>The rule lines of <paramref name="chain"/> as <c>iptables-save</c> prints them.</summary>
    public static string[] SavedRules(string save, string chain) =>
        save.Split('\n').Where(line => line.StartsWith($"-A {chain} ", StringComparison.Ordinal)).ToArray();

    /// <summary>The <c>-A</c> lines of a rendered restore file.</summary>
    public static string[] RenderedRules(string restoreFile) =>
        restoreFile.Split('\n').Where(line => line.StartsWith("-A ", StringComparison.Ordinal)).ToArray();

    /// <summary>The aggregated prefixes of one family of a rule, canonical and sorted: what a set must hold.</summary>
    public static string[] Expected(FirewallRule rule, AddressFamilies family) =>
        Sorted((family == AddressFamilies.IPv4 ? rule.Prefixes.IPv4 : rule.Prefixes.IPv6).Select(p => p.ToString()));

    /// <summary>A prefix or bare address as the CIDR engine writes it (bare addresses are /32 or /128).</summary>
    public static string Canonical(string token) => PrefixSet.Parse(token).Single().ToString();

    private static string NftElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Canonical(element.GetString()!),
        JsonValueKind.Object when element.TryGetProperty("prefix", out JsonElement prefix) =>
            Canonical($"{prefix.GetProperty("addr").GetString()}/{prefix.GetProperty("len").GetInt32()}"),
        // A range means nft merged or split elements: not what was loaded, so keep it visible in the failure.
        _ => element.GetRawText(),
    };

    private static string[] Sorted(IEnumerable<string> prefixes) =>
        prefixes.OrderBy(p => p, StringComparer.Ordinal).ToArray();

    /// <summary>An address inside <paramref name="prefix"/>: the network address plus one (the address itself for a /32 or /128).</summary>
    public static IPAddress AddressIn(IPNetwork prefix)
    {
        byte[] bytes = prefix.BaseAddress.GetAddressBytes();
        int hostBits = bytes.Length * 8 - prefix.PrefixLength;
        if (hostBits > 0)
        {
            bytes[^1] |= 1;
        }

        return new IPAddress(bytes);
    }
}
