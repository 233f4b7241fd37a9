using System.Net;
using FirewallRules.Cidr;

namespace FirewallRules.Cli;

/// <summary>
/// Prefixes given on the command line: repeatable options whose values may also be comma-separated. A person typed
/// them, so any IPv6 spelling is read (<c>2001:DB8::/32</c>); host bits are refused, as they may be a typo, naming the
/// network to write (these verbs have no <c>--normalize</c>, so the library's advice would name an option they lack).
/// </summary>
internal static class PrefixArguments
{
    /// <summary>
    /// The prefixes <paramref name="values"/> list; a bad one, or values that name none, is a usage error (exit 2), named with
    /// <paramref name="option"/>.
    /// </summary>
    public static PrefixSet Parse(string option, IEnumerable<string> values)
    {
        string[] given = [.. values];
        var prefixes = new List<IPNetwork>();
        foreach (string value in given.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            try
            {
                prefixes.Add(PrefixParser.Parse(value, PrefixParseOptions.AnyIPv6Text));
            }
            catch (PrefixFormatException ex)
            {
                // A value of an option: a usage error, as the parser's own are.
                throw new CliException(ex.Advice is null ? $"{option}: {ex.Message}" : $"{option}: {ex.Reason}: write the network", ExitCode.Usage);
            }
        }

        // Given but naming none (`--open dogstatsd=`, `,`): the run would open nothing and say nothing.
        return given.Length > 0 && prefixes.Count == 0
            ? throw new CliException($"{option}: names no network: write one, e.g. 10.0.0.0/8", ExitCode.Usage)
            : PrefixSet.Create(prefixes);
    }
}
