using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// Every line each Linux format may contain, as an allow-list. A line that matches none of them (an
/// injected command, a comment that broke out of its quotes) fails the test: stronger than looking for
/// particular bad strings, because it also catches the injections nobody thought of.
/// </summary>
internal static class LinuxGrammar
{
    private const string Name = @"[A-Za-z][A-Za-z0-9_-]*";
    private const string Prefix = @"[0-9a-f.:]+/\d{1,3}";

    // Printable ASCII without a backslash: a comment line can neither end early nor continue onto the next.
    private static readonly Regex HeaderLine = new(@"^#( [\x20-\x5b\x5d-\x7e]*)?$");
    private static readonly Regex IptablesLine = new(
        $@"^(\*filter|COMMIT|:{Name} - \[0:0\]|-A {Name} (-[ds] {Prefix} )?-p (tcp|udp) -m (tcp|udp) --dport \d+(:\d+)?( -m set --match-set {Name} (dst|src))?"
        + $@"( -m comment --comment ""[^""'\\`$]*"")? -j (ACCEPT|DROP))$");
    private const string Mark = @"[A-Za-z][A-Za-z0-9_-]*-version(-tmp)?", MarkElement = @"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}";
    private const string MarkLine = $@"create {Mark} hash:ip family inet hashsize 64 maxelem 1 -exist|(add|del) {Mark} {MarkElement}( -exist)?";
    private static readonly Regex IpsetLine = new(
        $@"^(create {Name} hash:net family inet6? hashsize \d+ maxelem \d+ -exist|flush {Name}|add {Name} {Prefix}|swap {Name} {Name}|destroy {Name}|{MarkLine})$");
    private static readonly Regex ScriptLine = new(
        $@"^(#!/bin/sh|set -eu|ipset restore <<'FWRULES_EOF'|ip6?tables-restore -w --noflush <<'FWRULES_EOF'|FWRULES_EOF"
        + $@"|(ip6?tables) -w -C {Name} -j {Name} 2>/dev/null \|\| \2 -w -I {Name} -j {Name})$");
    private static readonly Regex IpsetUpdateLine = new(
        $@"^(swap {Name} {Name}|create {Name} hash:net family inet6? hashsize \d+ maxelem \d+ -exist|add {Name} {Prefix} -exist|flush {Name}|add {Name} {Prefix}"
        + $@"|destroy {Name}|{MarkLine})$");
    private const string NftStatement =
        $@"((oif|iif) ""lo"" accept|ip6? (daddr|saddr) @{Name} (tcp|udp) dport \d+(-\d+)? counter (accept|drop)( comment ""[^""]*"")?"
        + $@"|(meta nfproto ipv[46] )?(tcp|udp) dport \d+(-\d+)?( ct state new)? counter drop( comment ""[^""]*"")?)";
    private static readonly Regex NftLine = new(
        $@"^(|table inet {Name} \{{\}}|delete table inet {Name}|table inet {Name} \{{|\tset {Name} \{{|\t\ttype ipv[46]_addr|\t\tflags interval|\t\telements = \{{"
        + $@"|\t+{Prefix},?|\t*\}}|\tchain {Name} \{{|\t\ttype filter hook (output|input) priority filter; policy accept;|\t\t{NftStatement}"
        + $@"|add set inet {Name} {Name} \{{ type ipv[46]_addr; flags interval; \}}|flush (set|chain) inet {Name} {Name}"
        + $@"|(add|delete) element inet {Name} {Name} \{{|add chain inet {Name} {Name}|add rule inet {Name} {Name} {NftStatement})$");

    /// <summary>Asserts that every line of <paramref name="text"/> is one the format may contain.</summary>
    public static void AssertOnlyKnownLines(string format, string text)
    {
        Regex[] allowed = format switch
        {
            "ipset" => [HeaderLine, IpsetLine],
            "ipset-update" => [HeaderLine, IpsetUpdateLine],
            _ when format.StartsWith("nftables", StringComparison.Ordinal) => [HeaderLine, NftLine],
            _ when format.EndsWith("-script", StringComparison.Ordinal) => [HeaderLine, ScriptLine, IptablesLine, IpsetLine],
            _ => [HeaderLine, IptablesLine],
        };
        string[] unknown = text.TrimEnd('\n').Split('\n').Where(line => !allowed.Any(rule => rule.IsMatch(line))).ToArray();
        Assert.That(unknown, Is.Empty, $"{format}: lines outside the format's grammar");
        Assert.That(text, Does.Not.Contain("\r").And.EndsWith("\n"), $"{format}: \\n line ends only");
    }
}
