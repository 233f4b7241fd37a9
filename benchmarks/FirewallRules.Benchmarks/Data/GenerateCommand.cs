using System.Globalization;

namespace FirewallRules.Benchmarks.Data;

/// <summary>
/// <c>generate KIND [COUNT] [--seed N]</c>: writes a benchmark input to standard output, so the
/// whole-process measurements read exactly what the in-process benchmarks use.
/// </summary>
internal static class GenerateCommand
{
    private static readonly Dictionary<string, InputSet> Kinds = new(StringComparer.Ordinal)
    {
        ["ipv4-random"] = InputSet.IPv4Random,
        ["ipv4-dense"] = InputSet.IPv4Dense,
        ["ipv6-random"] = InputSet.IPv6Random,
        ["aws"] = InputSet.Aws,
        ["azure"] = InputSet.Azure,
        ["datadog"] = InputSet.Datadog,
    };

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length == 0 || !Kinds.TryGetValue(args[0], out InputSet input))
        {
            return Usage();
        }

        int count = 1_000_000;
        ulong seed = Generator.DefaultSeed;
        for (int i = 1; i < args.Length; i++)
        {
            bool ok = args[i] == "--seed"
                ? ++i < args.Length && ulong.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out seed)
                : int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out count) && count > 0;
            if (!ok)
            {
                return Usage();
            }
        }

        using Stream stdout = Console.OpenStandardOutput();
        if (Generator.IsSynthetic(input))
        {
            Generator.Write(input, count, seed, stdout);
        }
        else
        {
            stdout.Write(Generator.Lines(Corpora.Prefixes(input)));
        }

        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine($"usage: generate {string.Join('|', Kinds.Keys)} [COUNT] [--seed N]");
        Console.Error.WriteLine("  COUNT (default 1000000) and --seed apply to the synthetic kinds; the corpora print every prefix.");
        return 2;
    }
}
