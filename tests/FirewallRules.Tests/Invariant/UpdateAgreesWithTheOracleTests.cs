using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Invariant.Oracle;

namespace FirewallRules.Tests.Invariant;

/// <summary>
/// The incremental updates (<c>fwrules generate --update-from OLD</c>, nftables and ipset) against the oracle, in a real kernel: the
/// full output of a drawn document is loaded, then the update to its next version, in which every section swaps one of its
/// networks for another of the same size (so a set may keep its count and still change) and sometimes gains one. Every set must
/// then hold exactly the addresses the next document's JSON gives its port and family (<see cref="DatadogTraffic"/>, read into
/// <see cref="AddressSet"/>), whatever the sets held before.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed partial class UpdateAgreesWithTheOracleTests
{
    private static readonly string[] Sections = ["agents", "logs", "api"];
    private NetworkNamespace? _ns;
    private string? _directory;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require("ip", "nft", "ipset");
        _ns = NetworkNamespace.Create();
        _directory = Directory.CreateTempSubdirectory("fwrules-update-").FullName;
    }

    [OneTimeTearDown]
    public void DeleteNamespace()
    {
        _ns?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task Update_ToTheNextVersion_LeavesEverySetHoldingExactlyItsPortsAddresses([Values("nftables", "ipset")] string format, [Range(1, 3)] int seed)
    {
        var random = new Random(seed);
        JsonObject older = Draw(random, 100 + seed), newer = Next(older, random);
        string olderPath = Write(older, $"{format}-{seed}-older"), newerPath = Write(newer, $"{format}-{seed}-newer");
        Ns.Exec("nft", "flush", "ruleset").Succeeded();
        Ns.Exec("ipset", "destroy").Succeeded();

        Load(format, await GenerateAsync(format, "--input", olderPath));
        Load(format, await GenerateAsync(format, "--input", newerPath, "--update-from", olderPath));

        Dictionary<string, string[]> sets = format == "nftables" ? Readback.NftSets(Ns, "datadog") : Readback.IpsetSets(Ns);
        var held = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string[] elements) in sets)
        {
            if (SetName().Match(name) is { Success: true } match)
            {
                held[$"{match.Groups["port"].Value}/tcp IPv{match.Groups["family"].Value}"] = AddressSet.Of(elements).ToString();
            }
        }

        Assert.That(held, Is.EqualTo(Expected(newer)), $"{format}, seed {seed}: the sets after the update, against the next document\n{newer.ToJsonString()}");
    }

    // What the oracle says each port's set holds per family: every egress section's addresses on that port, from the JSON.
    private static SortedDictionary<string, string> Expected(JsonObject document)
    {
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (int port in Sections.SelectMany(DatadogTraffic.Ports).Distinct())
        {
            AddressSet addresses = Sections.Where(s => DatadogTraffic.Ports(s).Contains(port))
                .Aggregate(AddressSet.Empty, (all, s) => all.Union(DatadogTraffic.Addresses(document, s)));
            foreach (bool v6 in new[] { false, true })
            {
                expected[string.Create(CultureInfo.InvariantCulture, $"{port}/tcp IPv{(v6 ? 6 : 4)}")] = addresses.Family(v6).ToString();
            }
        }

        return expected;
    }

    // Two to five networks per section and family, none beside another: IPv4 /24s and IPv6 /48s, each at a second number of its own.
    private static JsonObject Draw(Random random, long version)
    {
        var root = new JsonObject { ["version"] = version, ["modified"] = "2025-01-01-00-00-00" };
        for (int s = 0; s < Sections.Length; s++)
        {
            int count = random.Next(2, 6);
            root[Sections[s]] = new JsonObject
            {
                ["prefixes_ipv4"] = new JsonArray([.. Enumerable.Range(0, count).Select(k => JsonValue.Create(V4(random, s, 2 * k)))]),
                ["prefixes_ipv6"] = new JsonArray([.. Enumerable.Range(0, count).Select(k => JsonValue.Create(V6(random, s, 2 * k)))]),
            };
        }

        return root;
    }

    // The next version: each section's family lists swap one network for one of the same size elsewhere, and sometimes gain one.
    private static JsonObject Next(JsonObject older, Random random)
    {
        var newer = (JsonObject)older.DeepClone();
        newer["version"] = older["version"]!.GetValue<long>() + 1;
        for (int s = 0; s < Sections.Length; s++)
        {
            int section = s;
            foreach ((string key, Func<int, string> fresh) in new (string, Func<int, string>)[]
                { ("prefixes_ipv4", n => V4(random, section, n)), ("prefixes_ipv6", n => V6(random, section, n)) })
            {
                JsonArray list = newer[Sections[s]]![key]!.AsArray();
                list[random.Next(list.Count)] = JsonValue.Create(fresh(11 + (2 * random.Next(20))));
                if (random.Next(2) == 0)
                {
                    list.Add(JsonValue.Create(fresh(61 + (2 * random.Next(20)))));
                }
            }
        }

        return newer;
    }

    // Second numbers differ by two or more and the third stays within 1..254, so no two networks of a section are side by side.
    private static string V4(Random random, int section, int slot) => string.Create(CultureInfo.InvariantCulture, $"{44 + section}.{slot}.{random.Next(1, 255)}.0/24");

    private static string V6(Random random, int section, int slot) => string.Create(CultureInfo.InvariantCulture, $"2600:{section + 1:x}{slot:x2}:{random.Next(1, 0xffff):x}::/48");

    private string Write(JsonObject document, string name)
    {
        string path = Path.Combine(_directory!, $"{name}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    private static async Task<string> GenerateAsync(string format, params string[] args)
    {
        ProcessResult generated = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "--no-comments", .. Sections.SelectMany(s => new[] { "-s", s }), .. args]);
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        return generated.Output;
    }

    private void Load(string format, string output)
    {
        if (format == "nftables")
        {
            Ns.ExecOnFile(output, "nft", "-f").Succeeded();
        }
        else
        {
            Ns.ExecWithInput(output, "ipset", "restore").Succeeded();
        }
    }

    // nftables' egress-tcp-443-v4, ipset's datadog-e443-tcp4: the port and the family.
    [GeneratedRegex(@"^(?:egress-tcp-(?<port>\d+)-v(?<family>[46])|datadog-e(?<port>\d+)-tcp(?<family>[46]))$")]
    private static partial Regex SetName();
}
