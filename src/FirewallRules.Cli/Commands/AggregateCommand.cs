using System.CommandLine;
using System.Globalization;
using FirewallRules.Cidr;

namespace FirewallRules.Cli.Commands;

/// <summary><c>fwrules aggregate</c>: one prefix per line in, the minimal list out.</summary>
internal static class AggregateCommand
{
    public static Command Create(CliConsole console)
    {
        Argument<string?> input = new Argument<string?>("FILE")
        {
            Description = "A file with one prefix per line (blank lines and # comments allowed); '-' or nothing reads standard input.",
            Arity = ArgumentArity.ZeroOrOne,
        }.RejectingOptionLikeValues();
        var max = new Option<int?>("--max")
        {
            Description = "Summarize to at most N prefixes in total, adding the fewest possible extra addresses (optimal).",
            HelpName = "N",
        };
        max.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--max must be at least 1.");
            }
        });
        var normalize = new Option<bool>("--normalize")
        {
            Description = "Accept prefixes with host bits set (10.1.2.3/8) and clear them, instead of failing.",
        };
        Option<string?> output = CommonOptions.Output();

        var command = new Command("aggregate", """
            Collapse a prefix list into the minimal sorted list covering exactly the same addresses.

            Examples:
              fwrules aggregate prefixes.txt
              curl -s https://example.net/list.txt | fwrules aggregate - --max 60 -o allow.txt
            """)
        {
            input, max, normalize, output,
        };
        command.SetAction(parse =>
        {
            string? path = parse.GetValue(input);
            PrefixParseOptions options = parse.GetValue(normalize) ? PrefixParseOptions.ClearHostBits : PrefixParseOptions.None;
            PrefixSet set = Read(console, path, options, out int read);
            PrefixSet result = set;
            PrefixSummary? summary = null;
            if (parse.GetValue(max) is int budget && budget < set.Count)
            {
                int families = (set.IPv4.IsEmpty ? 0 : 1) + (set.IPv6.IsEmpty ? 0 : 1);
                if (budget < families)
                {
                    throw new CliException($"--max {budget}: the input holds IPv4 and IPv6 prefixes, which need at least one prefix each", ExitCode.Usage);
                }

                summary = set.Summarize(budget);
                result = summary.Prefixes;
            }

            OutputTarget.Write(console, parse.GetValue(output), result.WriteTo);
            if (!parse.GetValue(CommonOptions.Quiet))
            {
                console.WriteNote(Describe(read, set, result, summary));
            }

            return ExitCode.Success;
        });
        return command;
    }

    private static PrefixSet Read(CliConsole console, string? path, PrefixParseOptions options, out int read)
    {
        string source = path is null or "-" ? "<stdin>" : path;
        try
        {
            PrefixSet set;
            if (path is null or "-")
            {
                using Stream stdin = console.OpenInput();
                set = ReadCounting(stdin, options, out read);
            }
            else
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                set = ReadCounting(file, options, out read);
            }

            return set;
        }
        catch (PrefixFormatException ex)
        {
            throw new CliException($"{source}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {source}: {ex.Message}");
        }
    }

    private static PrefixSet ReadCounting(Stream stream, PrefixParseOptions options, out int read)
    {
        PrefixListReader reader = PrefixListReader.Read(stream, options);
        read = reader.IPv4Read + reader.IPv6Read;
        return reader.ToPrefixSet();
    }

    private static string Describe(int read, PrefixSet set, PrefixSet result, PrefixSummary? summary)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"aggregate: {read} prefixes in, {result.Count} out ({result.IPv4.Count} IPv4, {result.IPv6.Count} IPv6); covering {set.IPv4AddressCount} IPv4 and {CountIPv6(set)} IPv6 addresses");
        if (summary is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $"; --max added {summary.ExtraIPv4Addresses} IPv4 and {summary.ExtraIPv6Addresses} IPv6 addresses");
        }

        return text;
    }

    // All of IPv6 is 2^128 addresses, one more than UInt128 holds.
    private static string CountIPv6(PrefixSet set) =>
        set.IPv6.Count == 1 && set.IPv6.First().PrefixLength == 0 ? "340282366920938463463374607431768211456" : set.IPv6AddressCount.ToString(CultureInfo.InvariantCulture);
}
