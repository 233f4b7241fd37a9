using System.Diagnostics;

namespace FirewallRules.Tests.Packaging;

/// <summary>Runs a build step (dotnet pack, publish, run, tool install) or a program it produced, which must succeed.</summary>
internal static class BuildCommand
{
    /// <summary>
    /// Held while a command builds from the repository's own projects (the README's pack, DocFX reading them): each reads
    /// or writes their <c>obj/</c> files, and the fixtures that run them run beside each other.
    /// </summary>
    private static readonly SemaphoreSlim RepositoryProjects = new(1, 1);

    /// <summary>Runs <paramref name="program"/> as <see cref="RunAsync(string, string, string[])"/> does, while no other command builds from the repository's projects.</summary>
    public static Task<string> RunOnRepositoryAsync(string program, string directory, params string[] args) =>
        RunOnRepositoryAsync(program, directory, new Dictionary<string, string>(), args);

    /// <summary>
    /// Runs <paramref name="program"/> as <see cref="RunOnRepositoryAsync(string, string, string[])"/> does, with
    /// <paramref name="environment"/> added to this process's.
    /// </summary>
    public static async Task<string> RunOnRepositoryAsync(string program, string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await RepositoryProjects.WaitAsync();
        try
        {
            return await RunAsync(program, directory, environment, args);
        }
        finally
        {
            RepositoryProjects.Release();
        }
    }

    /// <summary>Runs <paramref name="program"/> in <paramref name="directory"/>, which must succeed, and returns what it printed.</summary>
    public static async Task<string> RunAsync(string program, string directory, params string[] args)
    {
        (int exitCode, string output, string error) = await TryRunAsync(program, directory, args);
        Assert.That(exitCode, Is.EqualTo(0), $"{program} {string.Join(' ', args)} failed:\n{output}\n{error}");
        return output;
    }

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="directory"/> (at most 15 minutes: a guard against a hang, not a timing; a trimmed ReadyToRun
    /// publish that now carries ASP.NET Core for `serve` took 9 minutes on a machine loaded far beyond its 2 cores) and returns its exit code and what
    /// it printed.
    /// </summary>
    public static Task<(int ExitCode, string Output, string Error)> TryRunAsync(string program, string directory, params string[] args) =>
        TryRunAsync(program, directory, environment: null, args);

    /// <summary>Runs <paramref name="program"/> as <see cref="RunAsync(string, string, string[])"/> does, with <paramref name="environment"/> added to this process's.</summary>
    public static async Task<string> RunAsync(string program, string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        (int exitCode, string output, string error) = await TryRunAsync(program, directory, environment, args);
        Assert.That(exitCode, Is.EqualTo(0), $"{program} {string.Join(' ', args)} failed:\n{output}\n{error}");
        return output;
    }

    /// <summary>Runs <paramref name="program"/> as <see cref="TryRunAsync(string, string, string[])"/> does, with <paramref name="environment"/> added to this process's.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(
        string program, string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A child build must not inherit this test run's MSBuild settings through the environment (dotnet test sets
        // MSBuildExtensionsPath, MSBuildSDKsPath, _MSBUILDTLENABLED and more; under libfaketime they stop a pack silently).
        foreach (string name in start.Environment.Keys.Where(IsMSBuildSetting).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static bool IsMSBuildSetting(string name) => name.TrimStart('_').StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase);
}
