using System.Text.Json;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Capirca's and Aerleon's network definitions, each file expanded by one Python process for all of a format's files: Capirca's own
/// definitions parser (Debian's python3-capirca), and for Aerleon (not packaged here) PyYAML's safe loader, the one Aerleon uses,
/// with its documented <c>networks:</c> form and each address parsed by Capirca's address type.
/// </summary>
internal static class DefinitionReaders
{
    private const string Capirca = """
        import json, os, sys
        from capirca.lib import naming
        out = []
        for path in sys.argv[1:]:
            definitions = naming.Naming(os.path.dirname(path), os.path.basename(path), 'networks')
            out.append(sorted({str(a) for name in definitions.networks for a in definitions.GetNet(name)}))
        print(json.dumps(out))
        """;

    private const string Aerleon = """
        import json, sys, yaml
        from capirca.lib import nacaddr
        out = []
        for path in sys.argv[1:]:
            with open(path) as f:
                networks = yaml.safe_load(f)['networks']
            def expand(name, seen=()):
                assert name not in seen, f'{name} refers to itself'
                for item in networks[name]['values']:
                    assert set(item) - {'comment'} in ({'address'}, {'name'}), item
                    yield from expand(item['name'], seen + (name,)) if 'name' in item else [str(nacaddr.IP(item['address'], strict=True))]
            out.append(sorted({a for name in networks for a in expand(name)}))
        print(json.dumps(out))
        """;

    /// <summary>Every address of every network each text defines, in the order given.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Expand(string format, IReadOnlyList<string> texts)
    {
        string python = ExternalTool.SystemPython(format == "capirca" ? "capirca.lib.naming" : "capirca.lib.nacaddr");
        using var files = new TempFiles();
        // Capirca reads a definitions directory: one directory per file, so no two files' names meet.
        string[] paths = [.. texts.Select((t, i) => files.Write(Path.Combine($"case{i}", format == "capirca" ? "datadog.net" : "datadog.yaml"), t))];
        ToolResult read = ExternalTool.Run(python, ["-c", format == "capirca" ? Capirca : Aerleon, .. paths]);
        Assert.That(read.ExitCode, Is.Zero, read.Error);
        return JsonSerializer.Deserialize<string[][]>(read.Output)!;
    }
}
