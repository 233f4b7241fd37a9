using FirewallRules.Emitters;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>A user-defined emitter, as a user would write one: one line per rule, then its prefixes.</summary>
internal sealed class ListingEmitter(EmitterOptions options) : IRuleEmitter
{
    public string Format => "listing";

    public string Description => "rule names and prefixes, for tests";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        foreach (FirewallRule rule in rules.Rules.Rules)
        {
            output.Write($"{options.Name}-{rule.Name} [{string.Join(",", rule.Sources)}]: ");
            output.WriteLine(string.Join(" ", rule.Prefixes.Select(p => p.ToString())));
        }
    }

    public static EmitterRegistry Registry { get; } =
        EmitterRegistry.Default.With("listing", "rule names and prefixes, for tests", o => new ListingEmitter(o));
}
