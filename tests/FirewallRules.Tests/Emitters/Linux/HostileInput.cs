using System.Text.Json;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// Free text on its way to the Linux outputs: a document's <c>modified</c> string (kept in the document when it
/// is in no recognised format, and never printed) and a hand-built <see cref="RuleSetProvenance"/>, whose text
/// is not validated and reaches every header. The payload
/// tries every dialect's way out: line ends, quotes, restore-file and nft commands, shell expansion, the
/// script's here-document delimiter, a backslash line continuation.
/// </summary>
internal static class HostileInput
{
    public const string Payload =
        "2022\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\r\n\"; flush ruleset; add rule inet evil c accept comment \"x\n" +
        "create evil hash:net\u2028$(reboot) `reboot` 'q' \\\nFWRULES_EOF\n\u0000\u001b[2J#";

    /// <summary>Words of the payload that must never appear outside a comment line.</summary>
    public static readonly string[] Markers = ["-A INPUT", "flush ruleset", "evil", "reboot"];

    /// <summary>A real-looking document whose <c>modified</c> is the payload: it parses, and is kept as text only.</summary>
    public static RuleSet FromDocument()
    {
        string json = $$$"""
            {"version": 99, "modified": {{{JsonSerializer.Serialize(Payload)}}},
             "logs": {"prefixes_ipv4": ["3.233.144.0/20"], "prefixes_ipv6": ["2600:1f18:24e6:b900::/56"]}}
            """;
        IpRangesDocument document = IpRangesDocument.Parse(json, Site.Custom(new Uri("https://mirror.example/\"quoted\"/")));
        Assert.That(document.ModifiedText, Is.EqualTo(Payload), "the payload must reach the rule set for the test to mean anything");
        return RuleSet.For(document, Section.Logs);
    }

    /// <summary>Rules with a hand-built provenance: its sections and date are not validated by the record.</summary>
    public static RuleSet FromProvenance()
    {
        var rule = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20\n2600:1f18:24e6:b900::/56"), ["webhooks"]);
        return RuleSet.Create([rule], new RuleSetProvenance(null, 1, Payload, [Payload, "webhooks"], false));
    }
}
