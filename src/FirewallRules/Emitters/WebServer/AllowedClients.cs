using FirewallRules.Rules;

namespace FirewallRules.Emitters.WebServer;

/// <summary>
/// Who an allow-list at the web tier admits: the prefixes of every rule, whatever its direction and port (the server listens
/// where it listens; Datadog calls on the rules' ports), decided once for every web format before it writes a character.
/// </summary>
internal static class AllowedClients
{
    /// <summary>The addresses <paramref name="rules"/> allow, refusing what a web-tier allow-list cannot mean.</summary>
    /// <exception cref="RuleGenerationException">
    /// A deny rule (these outputs admit a list and refuse the rest), or a trusted proxy inside the list (it would pass as itself
    /// and also vouch for others: name the proxies apart from Datadog's ranges).
    /// </exception>
    public static PrefixSet Of(RuleSet rules, WebServerOptions options, string format)
    {
        if (rules.Rules.FirstOrDefault(rule => rule.Action != RuleAction.Allow) is { } deny)
        {
            throw new RuleGenerationException(
                $"{format} admits the listed clients and refuses the rest, so it has no deny rule: the rule for {deny.Port} from " +
                $"{string.Join(", ", deny.Sources)} denies; render allow rules");
        }

        PrefixSet allowed = rules.Prefixes;
        PrefixSet both = allowed.Intersect(options.TrustedProxies);
        return both.IsEmpty ? allowed : throw new RuleGenerationException(
            $"{format}: the trusted proxies {both} are inside the allowed ranges; a trusted proxy would pass as itself whatever it forwards: " +
            "name only your load balancers' or CDN's own addresses");
    }

    /// <summary>The sentence every web output's header says about where the client's address comes from.</summary>
    public static string ClientAddress(WebServerOptions options, string header = "X-Forwarded-For") => options.TrustedProxies.IsEmpty
        ? $"Client address: the connection's own. {header} is never read, so behind a load balancer every request comes from the balancer " +
            "and is refused: give the balancers' addresses as trusted proxies."
        : $"Client address: the connection's own, unless it comes from a trusted proxy ({string.Join(", ", options.TrustedProxies)}); then {header}'s last address " +
            "not itself a trusted proxy. A header from anyone else is never read.";
}
