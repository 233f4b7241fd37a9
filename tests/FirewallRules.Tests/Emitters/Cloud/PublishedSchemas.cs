using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The published schemas in the shared validators folder (Kubernetes networking.k8s.io/v1 OpenAPI, Cilium and Calico
/// CRDs, the Compute v1 discovery document), checked with its own validate.py under Python's jsonschema, and PyYAML's
/// reading of each document: what an independent parser sees, for the tests to compare with what they expected.
/// </summary>
/// <remarks>
/// The folder is <c>$FWRULES_VALIDATORS</c>, or the first <c>shared/validators</c> beside the repository or one of its
/// parents (CI clones the repository with <c>shared/</c> beside it). A missing folder or Python module skips the test
/// locally and fails it when <c>CI=true</c>.
/// </remarks>
internal static class PublishedSchemas
{
    /// <summary>One document as read back: its file, the schema errors (none when valid) and the parsed document.</summary>
    internal sealed record Checked(string File, IReadOnlyList<string> Errors, JsonObject Document)
    {
        public string Kind => Document["kind"]?.GetValue<string>() ?? string.Empty;

        public string Name => Document["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
    }

    /// <summary>Checks every document of <paramref name="text"/> (a YAML stream, or JSON for <c>gcp</c>) with validate.py's <paramref name="kind"/> check.</summary>
    public static IReadOnlyList<Checked> Check(string kind, string text)
    {
        string validators = Folder();
        using var files = new TempFiles();
        string path = files.Write(kind == "gcp" ? "documents.json" : "documents.yaml", text);
        string script = Path.Combine(TestContext.CurrentContext.TestDirectory, "Emitters", "Cloud", "Validators", "published-schemas.py");
        ToolResult result = ExternalTool.Run(Python(validators), [script, validators, kind, path]);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        return JsonNode.Parse(result.Output)!.AsArray()
            .Select(entry => new Checked(
                entry!["file"]!.GetValue<string>(),
                [.. entry["errors"]!.AsArray().Select(e => e!.GetValue<string>())],
                entry["document"]!.AsObject()))
            .ToArray();
    }

    /// <summary>Checks the documents and asserts that every one is valid.</summary>
    public static IReadOnlyList<Checked> AssertValid(string kind, string text)
    {
        IReadOnlyList<Checked> documents = Check(kind, text);
        Assert.That(documents, Is.Not.Empty, "no document was read back");
        Assert.Multiple(() =>
        {
            foreach (Checked document in documents)
            {
                Assert.That(document.Errors, Is.Empty, $"{document.Kind} {document.Name} is not valid against the published schema");
            }
        });
        return documents;
    }

    private static string Folder()
    {
        if (Environment.GetEnvironmentVariable("FWRULES_VALIDATORS") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(TestData.RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "validators");
            if (File.Exists(Path.Combine(candidate, "validate.py")))
            {
                return candidate;
            }
        }

        return ExternalTool.Missing<string>("the published schemas (shared/validators/validate.py) are not beside the repository: set FWRULES_VALIDATORS");
    }

    private static string Python(string validators)
    {
        ToolResult probe;
        try
        {
            probe = ExternalTool.Run("python3", ["-c", "import jsonschema, referencing, yaml"], workingDirectory: validators);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ExternalTool.Missing<string>("python3 is not installed");
        }

        return probe.ExitCode == 0 ? "python3" : ExternalTool.Missing<string>($"python3 lacks jsonschema, referencing or PyYAML: {probe.Error.Trim()}");
    }
}
