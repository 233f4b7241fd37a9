using System.CommandLine;
using System.CommandLine.Help;
using FirewallRules.Cli;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Every option of every verb, as the command tree itself lists them, given without its value: last on the line, with <c>=</c>
/// and nothing, and as an empty word. Each is a usage error of one line (exit 2), or a run the parser accepts where the option
/// takes no value; never a crash. A verb's own checks read other options' values (a section name, a group id, a region), and
/// they branch on the format, so each verb with a <c>--format</c> is walked once per format it takes too. An option given again
/// without its value (<c>--format iptables --format</c>), where the parser would keep the first value, is refused as well.
/// </summary>
[TestFixture]
public sealed class OptionWithoutValueTests
{
    private static readonly RootCommand Tree = CliApp.CreateRoot(CliConsole.System);

    [TestCaseSource(nameof(Verbs))]
    public async Task Run_EveryOptionWithoutItsValue_IsAUsageErrorOfOneLine(string verb)
    {
        var failures = new List<string>();
        Command command = Tree.Subcommands.Single(c => c.Name == verb);
        foreach (string[] context in Contexts(command))
        {
            foreach (Option option in Options(command).Where(o => !context.Contains(o.Name)))
            {
                foreach (string[] given in WithoutValue(option))
                {
                    // The whole run (exit code, stderr) once per option and spelling; the parse alone (which threw) in each context.
                    string[] args = [verb, .. context, .. given];
                    if ((context.Length == 0 ? await Problem(option, args) : Parsed(option, args)) is string problem)
                    {
                        failures.Add($"fwrules {string.Join(' ', args.Select(a => a.Length == 0 ? "''" : a))}: {problem}");
                    }
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCaseSource(nameof(Verbs))]
    public void Parse_EveryOptionGivenAgainWithoutItsValue_IsAUsageErrorNamingIt(string verb)
    {
        // The parser keeps the first value of `--format iptables --format` and says nothing (before another word, that word is its value).
        var failures = new List<string>();
        Command command = Tree.Subcommands.Single(c => c.Name == verb);
        foreach ((string[] context, Option option, string value) in GivenWithAValue(command))
        {
            foreach (string spelling in option.Aliases.Prepend(option.Name))
            {
                string[] args = [verb, .. context, option.Name, value, spelling];
                string expected = $"fwrules: {spelling} needs a value each time it is given. See 'fwrules {verb} --help'.";
                if (UsageLine.Of(Tree.Parse(args), args) is var line && line != expected)
                {
                    failures.Add($"fwrules {string.Join(' ', args)}: {line ?? "accepted"}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Tree_EveryVerbAndItsOptions_AreWalked()
    {
        // Each option is given again only where a value of it is accepted alone: these at least.
        string[] again = [.. Tree.Subcommands.SelectMany(verb => GivenWithAValue(verb).Select(given => $"{verb.Name} {given.Option.Name}")).Distinct()];
        Assert.That(again, Is.SupersetOf(new[] { "generate --format", "generate --input", "generate --section", "generate --port", "sync --state", "serve --input" }));

        // The walk is only as wide as the tree it reads: every verb help lists, and the verbs' options with --quiet among them.
        Assert.That(Verbs().Count(), Is.EqualTo(13));
        Assert.That(Options(Tree.Subcommands.Single(c => c.Name == "generate")).Select(o => o.Name), Does.Contain("--section").And.Contain("--quiet"));
        Assert.That(Contexts(Tree.Subcommands.Single(c => c.Name == "sync")), Has.Some.EqualTo(new[] { "--format", "aws-sg" }));
    }

    public static IEnumerable<string> Verbs() => Tree.Subcommands.Select(c => c.Name);

    /// <summary>
    /// Each option that takes a value, in each context, with the first of a few values (its own choices first) that the command
    /// line accepts: the option given once is no mistake there.
    /// </summary>
    private static IEnumerable<(string[] Context, Option Option, string Value)> GivenWithAValue(Command command)
    {
        string[] tries = ["x", "logs", "1", "443", "1s", "us1", "10.0.0.0/8", "https://example.com/", "127.0.0.1:8080", "sg-0123456789abcdef0"];
        foreach (string[] context in Contexts(command))
        {
            foreach (Option option in Options(command).Where(o => o.Arity.MinimumNumberOfValues > 0 && !context.Contains(o.Name)))
            {
                IEnumerable<string> choices = option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label).Take(1);
                if (choices.Concat(tries).FirstOrDefault(value => Accepted([command.Name, .. context, option.Name, value])) is string value)
                {
                    yield return (context, option, value);
                }
            }
        }
    }

    private static bool Accepted(string[] args) => UsageLine.Of(Tree.Parse(args), args) is null;

    /// <summary>What went wrong with <paramref name="args"/>, or null: no crash, and a usage error of one line unless the option takes no value.</summary>
    private static async Task<string?> Problem(Option option, string[] args)
    {
        if (Parsed(option, args) is { } problem)
        {
            return problem;
        }

        if (option.Arity.MinimumNumberOfValues == 0 && Accepted(args))
        {
            // Accepted (and not run: a verb run here would fetch, sync or serve).
            return null;
        }

        ProcessResult result = await FwrulesInProcess.RunAsync(null, args);
        string error = result.Error;
        return result.ExitCode != 2 ? $"exit {result.ExitCode}: {error}"
            : error.Count(c => c == '\n') != 1 || !error.EndsWith('\n') ? $"not one line: {error}"
            : error.Contains("Exception", StringComparison.Ordinal) || error.Contains("   at ", StringComparison.Ordinal) ? $"a stack trace: {error}"
            : null;
    }

    /// <summary>What the parser made of <paramref name="args"/> that is wrong: it threw, or it accepted a value-taking option without its value.</summary>
    private static string? Parsed(Option option, string[] args)
    {
        try
        {
            return !Accepted(args) || option.Arity.MinimumNumberOfValues == 0 ? null : "accepted without its value";
        }
        catch (Exception ex)
        {
            return $"the parser threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>The options a verb takes, its own and the recursive ones above it (--quiet), help aside (it prints and exits 0).</summary>
    private static IEnumerable<Option> Options(Command command) =>
        command.Options.Concat(Tree.Options.Where(o => o.Recursive)).Where(o => o is not HelpOption and not VersionOption);

    /// <summary>Each spelling alone and last, each with <c>=</c> and nothing, and the name followed by an empty word.</summary>
    private static IEnumerable<string[]> WithoutValue(Option option)
    {
        foreach (string spelling in option.Aliases.Prepend(option.Name))
        {
            yield return [spelling];
            yield return [$"{spelling}="];
        }

        yield return [option.Name, string.Empty];
    }

    /// <summary>Nothing before the option, then each format the verb's --format takes (its checks differ by format).</summary>
    private static IEnumerable<string[]> Contexts(Command command)
    {
        yield return [];
        if (command.Options.FirstOrDefault(o => o.Name == "--format") is { } format)
        {
            foreach (string value in format.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label))
            {
                yield return [format.Name, value];
            }
        }
    }
}
