using System.Net;
using FirewallRules.Cidr;

namespace FirewallRules.Cli;

/// <summary>Prefixes given on the command line: repeatable options whose values may also be comma-separated.</summary>
internal static class PrefixArguments
{
    /// <summary>The prefixes <paramref name="values"/> list; a bad one is bad input, named with <paramref name="option"/>.</summary>
    public static PrefixSet Parse(string option, IEnumerable<string> values)
    {
        var prefixes = new List<IPNetwork>();
        foreach (string value in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            try
            {
                prefixes.Add(PrefixParser.Parse(value));
            }
            catch (PrefixFormatException ex)
            {
                throw new CliException(ex, $"{option}: ");
            }
        }

        return PrefixSet.Create(prefixes);
    }
}
