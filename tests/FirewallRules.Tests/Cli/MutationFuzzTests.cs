using System.Diagnostics;
using System.Globalization;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// The fuzzing campaign kept in the suite: seeded mutants of the real documents (bits flipped, bytes
/// that matter to JSON or UTF-8 put in, ranges cut or repeated, numbers at their limits, strings made hostile)
/// through <c>generate</c>, <c>sections</c> and <c>diff</c>. Every run ends in exit 0 or 1 with nothing escaping as
/// an exception; an exit 1 prints one line to stderr and nothing to stdout; and every accepted mutant's Linux output
/// is checked by the real tool (<c>nft -c</c>, <c>iptables-restore --test</c>, <c>ipset restore</c>) in a throwaway
/// namespace. Bounded by time (about 45 seconds); <c>FWRULES_FUZZ_SEED</c> replays another seed.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class MutationFuzzTests : IDisposable
{
    private const int DefaultSeed = 11;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    private static readonly string[] Formats = ["nftables", "iptables", "ipset"];

    private static readonly byte[] JsonBytes = "\"\\{}[],:-./09 \n\tetu"u8.ToArray();

    private static readonly byte[] BadBytes = [0x00, 0x1B, 0x7F, 0x80, 0xC0, 0xED, 0xF8, 0xFF];

    private static readonly string[] Numbers = ["0", "-1", "1e309", "4294967296", "9223372036854775807", "99999999999999999999", "1.5", "-0"];

    private static readonly string[] Strings =
    [
        "\\u001b]0;pwned\\u0007", "\\ud800", "\\udc00x", "\\u0000", "\\u2028\\u202e", "10.0.0.0/33", "::ffff:1.2.3.4/128",
        "0.0.0.0/0", "1.2.3.4/32 ", "fe80::1%eth0/64", new string('x', 2000),
    ];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fwrules-fuzz-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Test]
    public async Task Verbs_SeededMutantsOfTheRealDocuments_ExitZeroOrOneAndAcceptedOutputsLoad()
    {
        LinuxTools.Require("ip", "nft", "iptables-restore", "ipset");
        using NetworkNamespace ns = NetworkNamespace.Create();
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FWRULES_FUZZ_SEED"), CultureInfo.InvariantCulture, out int given) ? given : DefaultSeed;
        var random = new Random(seed);
        byte[][] documents = [.. TestData.IpRangesDocuments.Select(File.ReadAllBytes)];
        string mutantPath = Path.Combine(_directory.FullName, "mutant.json");
        int mutants = 0, accepted = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Budget)
        {
            int original = random.Next(documents.Length);
            byte[] mutant = Mutate(random, documents[original]);
            await File.WriteAllBytesAsync(mutantPath, mutant);
            string format = Formats[mutants % Formats.Length];
            string context = $"seed {seed}, mutant {mutants} of {Path.GetFileName(TestData.IpRangesDocuments[original])} (FWRULES_FUZZ_SEED={seed} replays it)";
            ProcessResult generated = await RunAsync(context, mutant, "generate", "--input", mutantPath, "--format", format, "--family", format == "iptables" ? "ipv4" : "both");
            await RunAsync(context, mutant, "sections", "--input", mutantPath);
            await RunAsync(context, mutant, "diff", TestData.IpRangesDocuments[original], mutantPath);
            if (generated.ExitCode == 0)
            {
                CheckWithTheRealTool(ns, format, generated.Output, context, mutant);
                accepted++;
            }

            mutants++;
        }

        TestContext.Out.WriteLine($"seed {seed}: {mutants} mutants in {clock.Elapsed.TotalSeconds:F0} s, {accepted} accepted and loaded by the real tools");
        Assert.That(mutants, Is.GreaterThanOrEqualTo(30), "the budget ran a meaningful number of mutants");
        Assert.That(accepted, Is.GreaterThan(0), "some mutants are accepted, so the real-tool check ran");
        Assert.That(accepted, Is.LessThan(mutants), "some mutants are refused, so the refusal checks ran");
    }

    // One verb on one mutant: exit 0 or 1, and an exit 1 is one line on stderr with nothing on stdout.
    private static async Task<ProcessResult> RunAsync(string context, byte[] mutant, params string[] args)
    {
        ProcessResult result;
        try
        {
            result = await FwrulesInProcess.RunAsync(null, args);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{args[0]} threw on {context} (kept as {Keep(mutant)}): {ex}");
            throw;
        }

        // The mutant is written out only for a message that is shown: a passing case leaves no file behind.
        string Where() => $"{args[0]} on {context} (kept as {Keep(mutant)})";
        Assert.That(result.ExitCode, Is.EqualTo(0).Or.EqualTo(1), () => $"{Where()}: {result.Error}");
        if (result.ExitCode == 1)
        {
            Assert.That(result.Output, Is.Empty, () => $"{Where()}: nothing on stdout with exit 1");
            Assert.That(result.Error, Does.StartWith("fwrules: ").And.EndWith("\n"), Where);
            Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"), () => $"{Where()}: one line");
        }

        return result;
    }

    private static void CheckWithTheRealTool(NetworkNamespace ns, string format, string output, string context, byte[] mutant)
    {
        ToolResult checkedByTool = format switch
        {
            "nftables" => ns.ExecOnFile(output, "nft", "-c", "-f"),
            "iptables" => ns.ExecOnFile(output, "iptables-restore", "-w", "--test", "--noflush"),
            _ => ns.ExecWithInput(output, "ipset", "restore"),
        };
        if (format == "ipset")
        {
            ns.Exec("ipset", "destroy").Succeeded();
        }

        Assert.That(checkedByTool.ExitCode, Is.Zero, () => $"{format} of {context} (kept as {Keep(mutant)}) does not load: {checkedByTool.Error}");
    }

    // A failing mutant outlives the test's directory, for a reproducer.
    private static string Keep(byte[] mutant)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fwrules-fuzz-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(mutant))[..12]}.json");
        File.WriteAllBytes(path, mutant);
        return path;
    }

    /// <summary>One to three mutations of <paramref name="document"/>.</summary>
    private static byte[] Mutate(Random random, byte[] document)
    {
        var bytes = new List<byte>(document);
        for (int count = random.Next(1, 4); count > 0 && bytes.Count > 0; count--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Pick(random, JsonBytes);
                    break;
                case 2:
                    bytes.Insert(at, Pick(random, BadBytes));
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 17), bytes.Count - at));
                    break;
                case 4:
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, Math.Min(random.Next(1, 64), bytes.Count - at)));
                    break;
                case 5:
                    ReplaceNumber(bytes, at, Pick(random, Numbers));
                    break;
                case 6:
                    ReplaceString(bytes, at, Pick(random, Strings));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    // Replaces the first number at or after at.
    private static void ReplaceNumber(List<byte> bytes, int at, string replacement)
    {
        int start = bytes.FindIndex(at, b => char.IsAsciiDigit((char)b));
        Replace(bytes, start, start < 0 ? -1 : bytes.FindIndex(start, b => !char.IsAsciiDigit((char)b)), replacement);
    }

    // Replaces the inside of the first string that starts at or after at.
    private static void ReplaceString(List<byte> bytes, int at, string replacement)
    {
        int start = bytes.IndexOf((byte)'"', at) + 1;
        Replace(bytes, start, start <= 0 ? -1 : bytes.IndexOf((byte)'"', start), replacement);
    }

    private static void Replace(List<byte> bytes, int start, int end, string replacement)
    {
        if (start >= 0 && end >= start)
        {
            bytes.RemoveRange(start, end - start);
            bytes.InsertRange(start, Encoding.UTF8.GetBytes(replacement));
        }
    }

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];
}
