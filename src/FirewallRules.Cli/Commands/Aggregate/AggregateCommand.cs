using System.CommandLine;
using System.Globalization;
using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;
using FirewallRules.IO;

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
        }.RejectingOptionLikeValues().NamingA("file", "'-' for standard input");
        Option<int?> max = CommonOptions.AtLeastOne("--max",
            "Summarize to at most N prefixes in total, adding the fewest possible extra addresses (optimal).");
        var normalize = new Option<bool>("--normalize")
        {
            Description = "Accept prefixes with host bits set (10.1.2.3/8) and clear them, and IPv6 in any spelling (2001:DB8:0:0::/32); write them canonically.",
        };
        var allowEmpty = new Option<bool>("--allow-empty")
        {
            Description = "Write an empty list when the input holds no prefix (by default that is refused: an empty allow-list is usually a failed download).",
        };
        Option<string?> output = CommonOptions.Output();

        var command = new Command("aggregate", """
            Collapse a prefix list into the minimal sorted list covering exactly the same addresses.

            Examples:
              fwrules aggregate prefixes.txt
              curl -s https://example.net/list.txt | fwrules aggregate - --max 60 -o allow.txt
            """)
        {
            input, max, normalize, allowEmpty, output,
        };
        command.SetAction(parse => Run(
            new Request(
                parse.GetValue(input), parse.GetValue(max), parse.GetValue(normalize), parse.GetValue(allowEmpty), parse.GetValue(output),
                parse.GetValue(CommonOptions.Quiet)),
            console));
        return command;
    }

    /// <summary>
    /// Runs <c>aggregate</c> without building the command tree when the arguments are plain: a file or
    /// <c>-</c>, <c>--max N</c> (N ≥ 1), <c>--normalize</c>, <c>--allow-empty</c>, <c>-o</c>/<c>--output FILE</c>, <c>-q</c>/<c>--quiet</c>,
    /// each at most once. Loading and building the parser is a third of the start-up of a run that takes
    /// a fraction of a second. Returns null for anything else (help, other spellings, usage errors), which
    /// the full parser then handles exactly as before.
    /// </summary>
    public static int? TryRunPlain(string[] args, CliConsole console)
    {
        if (args is not ["aggregate", ..])
        {
            return null;
        }

        string? path = null, output = null;
        int? max = null;
        bool normalize = false, allowEmpty = false, quiet = false;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--max" when max is null && i + 1 < args.Length
                    && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int budget) && budget >= 1:
                    max = budget;
                    i++;
                    break;
                case "--normalize" when !normalize:
                    normalize = true;
                    break;
                case "--allow-empty" when !allowEmpty:
                    allowEmpty = true;
                    break;
                case "-q" or "--quiet" when !quiet:
                    quiet = true;
                    break;
                case "-o" or "--output" when output is null && i + 1 < args.Length && IsPlainValue(args[i + 1]):
                    output = args[++i];
                    break;
                case var file when path is null && (file == "-" || IsPlainValue(file)):
                    path = file;
                    break;
                default:
                    return null;
            }
        }

        try
        {
            return Run(new Request(path, max, normalize, allowEmpty, output, quiet), console);
        }
        catch (OperationCanceledException) when (StopSignals.Process is { Received: true } stop)
        {
            return stop.Report(console, "aggregate");
        }
        catch (Exception ex) when (Failures.IsExpected(ex))
        {
            StopSignals.EndRun();
            return Failures.Report(console, ex);
        }

        // Left to the parser: options, response files (@file), help aliases (/h, /?), the words a flag could take as its value, and
        // empty or blank words (its usage error names them).
        static bool IsPlainValue(string value) =>
            DirectoryPath.IsName(value) && value[0] is not '-' and not '@' && value is not ("/h" or "/?" or "true" or "false" or "True" or "False");
    }

    private static int Run(Request request, CliConsole console)
    {
        PrefixParseOptions options = request.Normalize ? PrefixParseOptions.ClearHostBits | PrefixParseOptions.AnyIPv6Text : PrefixParseOptions.None;
        PrefixSet set = Read(console, request.Input, options, out int read);
        if (set.Count == 0 && !request.AllowEmpty)
        {
            throw new CliException(
                $"{SourceName(request.Input)}: no prefix in the input, so nothing was written (an empty list is usually a failed download; --allow-empty writes it)");
        }

        PrefixSet result = set;
        PrefixSummary? summary = null;
        if (request.Max is int budget && budget < set.Count)
        {
            int families = (set.IPv4.IsEmpty ? 0 : 1) + (set.IPv6.IsEmpty ? 0 : 1);
            if (budget < families)
            {
                throw new CliException($"--max {budget}: the input holds IPv4 and IPv6 prefixes, which need at least one prefix each", ExitCode.Usage);
            }

            summary = set.Summarize(budget);
            result = summary.Prefixes;
        }

        OutputTarget.Write(console, request.Output, result.WriteTo);
        if (!request.Quiet)
        {
            console.WriteNote(Describe(read, set, result, summary));
        }

        return ExitCode.Success;
    }

    private static PrefixSet Read(CliConsole console, string? path, PrefixParseOptions options, out int read)
    {
        string source = SourceName(path);
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
            throw new CliException(ex, $"{source}: ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.CannotRead(source, ex);
        }
    }

    private static string SourceName(string? path) => path is null or "-" ? "<stdin>" : path;

    private static PrefixSet ReadCounting(Stream stream, PrefixParseOptions options, out int read)
    {
        BulkListReader reader = BulkListReader.Read(stream, options);
        read = reader.IPv4Read + reader.IPv6Read;
        return reader.ToPrefixSet();
    }

    private static string Describe(int read, PrefixSet set, PrefixSet result, PrefixSummary? summary)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"aggregate: {Wording.Count(read, "prefix", "prefixes")} in, {result.Count} out ({result.IPv4.Count} IPv4, {result.IPv6.Count} IPv6); " +
            $"covering {Number(set.IPv4AddressCount)} IPv4 and {CountIPv6(set)} IPv6 addresses");
        if (summary is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $"; --max added {summary.ExtraIPv4Addresses} IPv4 and {summary.ExtraIPv6Addresses} IPv6 addresses");
        }

        return text;
    }

    // All of IPv6 is 2^128 addresses, one more than UInt128 holds.
    private static string CountIPv6(PrefixSet set) =>
        set.IPv6.Count == 1 && set.IPv6.First().PrefixLength == 0 ? "340282366920938463463374607431768211456" : Number(set.IPv6AddressCount);

    // Formatting a UInt128 is compiled on first use, a few milliseconds of a run; counts that fit in
    // 64 bits (every IPv4 count) take the precompiled ulong path.
    private static string Number(UInt128 count) =>
        count <= ulong.MaxValue ? ((ulong)count).ToString(CultureInfo.InvariantCulture) : count.ToString(CultureInfo.InvariantCulture);

    /// <summary>What one run was asked to do, however the command line spelled it.</summary>
    private sealed record Request(string? Input, int? Max, bool Normalize, bool AllowEmpty, string? Output, bool Quiet);
}
