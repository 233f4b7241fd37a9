using FirewallRules.Emitters;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Emitters are only emitters (ARCHITECTURE.md): outside its own file, an emitter type is only ever constructed and
/// handed to the render step. Nothing calls its members, keeps one in a variable, or reads its statics; text two
/// formats share lives in a writer type both use.
/// </summary>
[TestFixture]
public class EmitterIsolationTests
{
    private static IReadOnlyList<string> Emitters { get; } = typeof(IRuleEmitter).Assembly.GetTypes()
        .Where(t => t.IsClass && typeof(IRuleEmitter).IsAssignableFrom(t))
        .Select(t => t.Name)
        .ToArray();

    [Test]
    public void Sources_UseEmittersOnlyByConstructingThem()
    {
        string[] misuses = SourceCode.Files()
            .SelectMany(file => Misuses(SourceCode.WithoutComments(SourceCode.Read(file)), Path.GetFileNameWithoutExtension(file))
                .Select(misuse => $"{file}: {misuse}"))
            .ToArray();

        Assert.That(misuses, Is.Empty);
    }

    [Test]
    public void Emitters_AreFoundInTheLibrary()
    {
        Assert.That(Emitters, Has.Count.GreaterThanOrEqualTo(12).And.Contains("NftablesEmitter").And.Contains("CloudFormationEmitter"));
    }

    [Test]
    public void Misuses_FindsMemberCallsVariablesAndStatics()
    {
        // Guards the scan above against a pattern that silently finds nothing.
        const string Code = """
            IRuleEmitter ok = registry.With(o => new IptablesEmitter(AddressFamilies.IPv4, IptablesEmitterOptions.From(o, useIpset: false)));
            string text = rules.Render(new NftablesEmitter(options));
            string table = new IptablesEmitter(family, _options).WriteTable(prepared);
            var emitter = new IpsetEmitter(options);
            private readonly CloudFormationEmitter _groups = new(options);
            string id = CloudFormationEmitter.LogicalId(name);
            """;

        Assert.That(Misuses(Code, "Sample"), Is.EquivalentTo(new[]
        {
            "IptablesEmitter used other than by construction",
            "IpsetEmitter used other than by construction",
            "CloudFormationEmitter used other than by construction",
        }));
    }

    // Every mention of another file's emitter must be "new E(...)" standing alone: not assigned, not followed by a member.
    private static IEnumerable<string> Misuses(string code, string fileType)
    {
        foreach (string emitter in Emitters.Where(e => e != fileType))
        {
            int mentions = CountWord(code, emitter);
            int constructions = Constructions(code, emitter).Count(c => !c.Assigned && !c.MemberFollows);
            if (mentions > constructions)
            {
                yield return $"{emitter} used other than by construction";
            }
        }
    }

    private static IEnumerable<(bool Assigned, bool MemberFollows)> Constructions(string code, string emitter)
    {
        string opening = $"new {emitter}(";
        for (int at = code.IndexOf(opening, StringComparison.Ordinal); at >= 0; at = code.IndexOf(opening, at + 1, StringComparison.Ordinal))
        {
            int close = ClosingParenthesis(code, at + opening.Length - 1);
            bool assigned = code[..at].TrimEnd().EndsWith('=') && !code[..at].TrimEnd().EndsWith("=>", StringComparison.Ordinal);
            bool memberFollows = close + 1 < code.Length && code[(close + 1)..].TrimStart().StartsWith('.');
            yield return (assigned, memberFollows);
        }
    }

    private static int ClosingParenthesis(string code, int open)
    {
        int depth = 0;
        for (int i = open; i < code.Length; i++)
        {
            depth += code[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }

        return code.Length - 1;
    }

    private static int CountWord(string code, string word) =>
        System.Text.RegularExpressions.Regex.Count(code, $@"\b{word}\b");
}
