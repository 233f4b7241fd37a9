using System.Globalization;
using System.Runtime.InteropServices;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// The packages as the README's Install section makes them: its <c>dotnet pack</c> line, without <c>-p:Version</c>, run
/// from the repository once per test run and shared by the fixtures that install them. It adds <c>--no-build</c> (the
/// run's own Release build is the one it would make) and runs under a wall clock set to a second before a minute's end
/// (libfaketime), so the pack crosses a minute, as a pack that starts late in a minute does. The clock keeps real speed:
/// under a sped-up one (libfaketime's "x4"), one pack in a whole run on a loaded machine waited its full 15 minutes for
/// its in-proc node (MSB0001). libfaketime 0.9.10 is known to hang threads that set up condition variables while others
/// wait under a sped-up clock (wolfcw/libfaketime#419); that this was the cause is likely, not proven.
/// </summary>
public static class ReadmePack
{
    private static readonly Lazy<Task<PackedFeed>> Packed = new(PackAsync);

    /// <summary>The pack, made by the first fixture that asks.</summary>
    public static Task<PackedFeed> FeedAsync() => Packed.Value;

    /// <summary>The command of <paramref name="readme"/> that starts with <paramref name="start"/> and holds <paramref name="word"/>, split into its words.</summary>
    public static string[] ReadmeCommand(string start, string word, string readme = "README.md") =>
        File.ReadLines(Path.Combine(TestData.RepositoryRoot, readme))
            .Single(line => line.StartsWith(start, StringComparison.Ordinal) && line.Contains(word, StringComparison.Ordinal))
            .Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Deletes the pack's folder, once the run's last test has finished (<see cref="SharedLifetime"/>).</summary>
    public static void DeleteShared()
    {
        if (Packed.IsValueCreated && Packed.Value.IsCompletedSuccessfully)
        {
            Directory.Delete(Packed.Value.Result.Work, recursive: true);
        }
    }

    /// <summary>
    /// libfaketime, from Debian's faketime package. Preloaded into the pack rather than through the faketime program,
    /// whose wrapper can outlive the pack; and on the wall clock only, so the build's own timeouts keep real time.
    /// </summary>
    public static string FakeClockLibrary =>
        $"/usr/lib/{(RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "aarch64" : "x86_64")}-linux-gnu/faketime/libfaketime.so.1";

    private static async Task<PackedFeed> PackAsync()
    {
        string work = Directory.CreateTempSubdirectory("fwrules-readme-pack-").FullName;
        string feed = Path.Combine(work, "artifacts");
        string[] pack = ReadmeCommand("dotnet pack ", "-o");
        bool faked = File.Exists(FakeClockLibrary);
        var clock = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LD_PRELOAD"] = FakeClockLibrary,
            ["FAKETIME"] = DateTime.UtcNow.ToString("@yyyy-MM-dd HH:mm:59", CultureInfo.InvariantCulture),
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
        };
        // One node (-m:1): under the faked clock, a pack spread over MSBuild's out-of-process nodes failed with no error
        // (SDK 10.0.401); in one process the whole pack, every project's version included, runs under that clock.
        try
        {
            string output = await BuildCommand.RunOnRepositoryAsync(pack[0], TestData.RepositoryRoot, faked ? clock : new Dictionary<string, string>(),
                [.. pack[1..].Select(word => word == "artifacts" ? feed : word), "--no-build", "-nodeReuse:false", "-tl:off", "-m:1"]);
            return new PackedFeed(work, feed, faked, output);
        }
        catch
        {
            // A failed pack leaves no folder behind (the fixtures that would delete it never start).
            Directory.Delete(work, recursive: true);
            throw;
        }
    }
}

/// <summary>A folder of packed packages, and how to restore from it alone into a NuGet cache of its own.</summary>
/// <param name="Work">The temporary folder that holds the feed and what the fixtures make from it.</param>
/// <param name="Folder">The folder the pack wrote the packages to.</param>
/// <param name="ClockFaked">Whether the pack ran under the faked clock (libfaketime is installed).</param>
/// <param name="Output">What the pack printed.</param>
public sealed record PackedFeed(string Work, string Folder, bool ClockFaked, string Output)
{
    /// <summary>The NuGet cache of the restores from this feed: a copy already extracted from an older pack of the same version cannot be used.</summary>
    public string Packages => Path.Combine(Work, "packages");

    /// <summary>The environment of a restore, a build or a tool install from this feed.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NUGET_PACKAGES"] = Packages,
    };

    /// <summary>The version of <paramref name="package"/> in the feed: that of its one package file.</summary>
    public string VersionOf(string package)
    {
        string[] files = [.. Directory.GetFiles(Folder, package + ".*.nupkg").Select(path => Path.GetFileName(path))
            .Where(name => char.IsAsciiDigit(name[package.Length + 1]))];
        Assert.That(files, Has.Length.EqualTo(1), $"one package file of {package} in {Folder}");
        return files[0][(package.Length + 1)..^".nupkg".Length];
    }

    /// <summary>
    /// A <c>nuget.config</c> in <paramref name="directory"/> that takes FirewallRules' packages from this feed alone and
    /// every other from the machine's NuGet cache, which the test project's own restore filled (no network needed).
    /// </summary>
    public void WriteNuGetConfig(string directory)
    {
        string cache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } shared
            ? shared
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="artifacts" value="{Folder}" />
                <add key="cache" value="{cache}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="artifacts">
                  <package pattern="FirewallRules" />
                  <package pattern="FirewallRules.*" />
                </packageSource>
                <packageSource key="cache">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }
}
