using System.Reflection;
using System.Text.RegularExpressions;
using FirewallRules.Cli;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The command line's shape (ARCHITECTURE.md): a folder per verb under <c>Commands/</c> holding its definition, options
/// and handler (<c>Common/</c> holds what several verbs share), and one handler signature: the verb's request, then the
/// console, then the cancellation token when the handler waits on anything.
/// </summary>
[TestFixture]
public partial class CommandShapeTests
{
    private const string Commands = "src/FirewallRules.Cli/Commands/";

    private static string[] VerbFolders { get; } = [.. SourceCode.Files().Where(f => f.StartsWith(Commands, StringComparison.Ordinal))
        .Select(f => f[Commands.Length..]).Where(f => f.Contains('/', StringComparison.Ordinal)).Select(f => f[..f.IndexOf('/', StringComparison.Ordinal)])
        .Where(folder => folder != "Common").Distinct()];

    [Test]
    public void Commands_HaveAFolderPerVerbEachHoldingItsCommand()
    {
        string[] files = [.. SourceCode.Files().Where(f => f.StartsWith(Commands, StringComparison.Ordinal)).Select(f => f[Commands.Length..])];

        Assert.That(VerbFolders, Has.Length.GreaterThanOrEqualTo(13), "guards the scan against finding no folder");
        Assert.That(files.Where(f => !f.Contains('/', StringComparison.Ordinal)), Is.Empty, "a verb's files go in Commands/<Verb>/, shared ones in Commands/Common/");
        Assert.That(VerbFolders.Where(folder => !files.Contains($"{folder}/{folder}Command.cs")), Is.Empty, "each verb folder holds <Verb>Command.cs");
    }

    [Test]
    public void VerbFolders_UseNoTypeOfAnotherVerbsFolder()
    {
        // What two verbs share lives in Commands/Common/ (or the library): a verb never calls another's internals.
        Dictionary<string, string> owners = SourceCode.Files().Where(f => f.StartsWith(Commands, StringComparison.Ordinal))
            .SelectMany(f => TopLevelType().Matches(SourceCode.WithoutComments(SourceCode.Read(f))).Select(m => (Type: m.Groups["name"].Value, Folder: FolderOf(f))))
            .Where(t => t.Folder is not null and not "Common").DistinctBy(t => t.Type).ToDictionary(t => t.Type, t => t.Folder!);
        var crossings = new List<string>();
        foreach (string file in SourceCode.Files().Where(f => f.StartsWith(Commands, StringComparison.Ordinal)))
        {
            string? folder = FolderOf(file);
            crossings.AddRange(Identifier().Matches(SourceCode.WithoutComments(SourceCode.Read(file))).Select(m => m.Value).Distinct()
                .Where(name => owners.TryGetValue(name, out string? owner) && owner != folder).Select(name => $"{file[Commands.Length..]} uses {owners[name]}/{name}"));
        }

        Assert.That(owners, Does.ContainKey("GenerateCommand").And.ContainKey("AwsAccountSync"), "guards the scan against finding no type");
        Assert.That(crossings, Is.Empty, "move what two verbs share to Commands/Common/ or the library");
    }

    [Test]
    public void VerbHandlers_TakeTheRequestThenTheConsoleThenTheToken()
    {
        Assembly cli = typeof(CliConsole).Assembly;
        var wrong = new List<string>();
        foreach (string folder in VerbFolders)
        {
            Type verb = cli.GetType($"FirewallRules.Cli.Commands.{folder}Command", throwOnError: true)!;
            MethodInfo[] handlers = [.. verb.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Where(m => m.Name is "Run" or "RunAsync")];
            if (handlers is not [MethodInfo handler])
            {
                wrong.Add($"{verb.Name}: {handlers.Length} handlers named Run or RunAsync (one expected)");
                continue;
            }

            Type[] parameters = [.. handler.GetParameters().Select(p => p.ParameterType)];
            bool shape = handler.Name == "RunAsync"
                ? handler.ReturnType == typeof(Task<int>) && parameters is [var request, var console, var token]
                    && request != typeof(CliConsole) && console == typeof(CliConsole) && token == typeof(CancellationToken)
                : handler.ReturnType == typeof(int) && parameters is [var value, var writer] && value != typeof(CliConsole) && writer == typeof(CliConsole);
            if (!shape)
            {
                wrong.Add($"{verb.Name}.{handler.Name}({string.Join(", ", parameters.Select(p => p.Name))}) -> {handler.ReturnType.Name}");
            }
        }

        Assert.That(wrong, Is.Empty, "int Run(request, console) or Task<int> RunAsync(request, console, cancellationToken)");
    }

    // The verb folder under Commands/ holding a file (Common included); null for a file directly in Commands/.
    private static string? FolderOf(string file) => file[Commands.Length..] is var rest && rest.Contains('/', StringComparison.Ordinal)
        ? rest[..rest.IndexOf('/', StringComparison.Ordinal)] : null;

    [GeneratedRegex(@"^(?:(?:public|internal|file|static|sealed|abstract|partial|readonly)\s+)*(?:class|record|struct|interface|enum)(?:\s+(?:class|struct))?\s+(?<name>[A-Z]\w*)",
        RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [Test]
    public void CommandLine_LeavesFormatSettingsToTheirDeclarations()
    {
        // A format's setting is declared once in its folder, flag included; the command line names a platform's options
        // type only for what it owns itself (private connectivity, listeners).
        string[] platformTypes = [.. typeof(PrefixSet).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t != typeof(FirewallRules.Emitters.EmitterOptions)
                && t.Namespace is { } ns
                && (ns.StartsWith("FirewallRules.Emitters", StringComparison.Ordinal) || ns.StartsWith("FirewallRules.PrivateLink", StringComparison.Ordinal)))
            .Select(t => t.Name)];
        var pattern = new System.Text.RegularExpressions.Regex($@"\b({string.Join('|', platformTypes)})\b");
        int mentions = SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules.Cli/", StringComparison.Ordinal))
            .Sum(f => pattern.Count(SourceCode.WithoutComments(SourceCode.Read(f))));

        Assert.That(platformTypes, Has.Length.GreaterThanOrEqualTo(10), "guards the scan against finding no type");
        Assert.That(mentions, Is.InRange(1, 25), "format settings belong in FormatSetting declarations, flag and all");
    }
}
