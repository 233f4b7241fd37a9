using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The published schemas in <c>data/validators</c> (Kubernetes networking.k8s.io/v1 OpenAPI, Cilium and Calico
/// CRDs, the Compute v1 discovery document), checked with its own validate.py under Python's jsonschema, and PyYAML's
/// reading of each document: what an independent parser sees, for the tests to compare with what they expected.
/// </summary>
/// <remarks>
/// The folder is <c>$FWRULES_VALIDATORS</c>, or the repository's <c>data/validators</c> (byte for byte as published,
/// provenance in its README). A missing Python module skips the test locally and fails it when <c>CI=true</c>.
/// </remarks>
internal static class PublishedSchemas
{
    private static readonly Lock Gate = new();
    private static LineWorker? _worker;

    // One python process for the run: validate.py reads each schema once (the Cilium and Calico CRDs take seconds).
    private static LineWorker Worker
    {
        get
        {
            lock (Gate)
            {
                if (_worker is null)
                {
                    string validators = Folder();
                    string script = Path.Combine(TestContext.CurrentContext.TestDirectory, "Emitters", "Cloud", "Validators", "published-schemas.py");
                    _worker = LineWorker.Start(Python(validators), [script, validators]);
                }

                return _worker;
            }
        }
    }

    /// <summary>One document as read back: its file, the schema errors (none when valid) and the parsed document.</summary>
    internal sealed record Checked(string File, IReadOnlyList<string> Errors, JsonObject Document)
    {
        public string Kind => Document["kind"]?.GetValue<string>() ?? string.Empty;

        public string Name => Document["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
    }

    /// <summary>Checks every document of <paramref name="text"/> (a YAML stream, or JSON for <c>gcp</c>) with validate.py's <paramref name="kind"/> check.</summary>
    public static IReadOnlyList<Checked> Check(string kind, string text)
    {
        using var files = new TempFiles();
        string path = files.Write(kind == "gcp" ? "documents.json" : "documents.yaml", text);
        string answer = Worker.Ask($"{kind}\t{path}");
        JsonNode parsed = JsonNode.Parse(answer)!;
        Assert.That(parsed, Is.InstanceOf<JsonArray>(), answer);
        return parsed.AsArray()
            .Select(entry => new Checked(
                entry!["file"]!.GetValue<string>(),
                [.. entry["errors"]!.AsArray().Select(e => e!.GetValue<string>())],
                entry["document"]!.AsObject()))
            .ToArray();
    }

    /// <summary>Stops the run's validator process if one was started.</summary>
    public static void StopShared()
    {
        lock (Gate)
        {
            _worker?.Dispose();
            _worker = null;
        }
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

        return Path.Combine(TestData.RepositoryRoot, "data", "validators");
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
