using System.Diagnostics;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// A host to sync: a throwaway network namespace with its own firewall, a Kestrel mirror listening on that namespace's
/// loopback (so <c>fwrules sync --base-url</c> inside it reaches the mirror as a host reaches a mirror on its network),
/// and the cache and state directories. <see cref="SyncAsync"/> runs the real <c>fwrules</c> inside the namespace.
/// </summary>
internal sealed class SyncHost : IAsyncDisposable
{
    private SyncHost(string tool, NetworkNamespace ns, IpRangesServer mirror, string directory)
    {
        Tool = tool;
        Namespace = ns;
        Mirror = mirror;
        Directory = directory;
    }

    public NetworkNamespace Namespace { get; }

    public IpRangesServer Mirror { get; }

    /// <summary>Holds <c>cache/</c> and <c>state/</c>.</summary>
    public string Directory { get; }

    public string Cache => Path.Combine(Directory, "cache");

    public string State => Path.Combine(Directory, "state");

    /// <summary>The <c>fwrules</c> executable the host runs: the one built next to the tests unless the test chose another.</summary>
    public string Tool { get; }

    /// <summary>Creates the namespace and starts the mirror in it, serving <paramref name="version"/>.</summary>
    public static Task<SyncHost> StartAsync(int version, params string[] tools) =>
        StartAsync(FwrulesProcess.Tool, version, tools);

    /// <summary>The same, running another build of the tool (such as the published binary).</summary>
    public static async Task<SyncHost> StartAsync(string tool, int version, params string[] tools)
    {
        LinuxTools.Require(["ip", .. tools]);
        var ns = NetworkNamespace.Create();
        try
        {
            IpRangesServer mirror = await IpRangesServer.StartAsync(FetchTesting.Document(version), LoopbackKestrel.Listen(ns.CreateSocket));
            return new SyncHost(tool, ns, mirror, System.IO.Directory.CreateTempSubdirectory("fwrules-sync-").FullName);
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="error"/> without the warning of a first sync whose mirror serves a document older than the snapshot shipped in
    /// fwrules (as a host's mirror here serves Datadog's history): what the run says of the rest.
    /// </summary>
    public static string WithoutOldCopyWarning(string error) =>
        string.Join('\n', error.Split('\n').Where(line => !(line.StartsWith("fwrules: warning: ", StringComparison.Ordinal) && line.Contains("the mirror may serve an old copy"))));

    /// <summary>The arguments every run shares: the mirror, the cache and the state.</summary>
    public string[] Common => ["--base-url", Mirror.BaseUri.AbsoluteUri, "--cache", Cache, "--state", State];

    /// <summary>Runs <c>fwrules sync ARGS</c> inside the namespace, with the mirror, cache and state.</summary>
    public Task<ToolResult> SyncAsync(params string[] args) => RunAsync(null, ["sync", .. Common, .. args]);

    /// <summary>Runs <c>fwrules ARGS</c> inside the namespace, with <paramref name="path"/> as its PATH when given.</summary>
    public Task<ToolResult> RunAsync(string? path, params string[] args) =>
        Task.Run(() => path is null
            ? Namespace.Exec(Tool, args)
            : Namespace.Exec("env", [$"PATH={path}", Tool, .. args]));

    /// <summary>Starts <c>fwrules sync ARGS</c> inside the namespace as the leader of a process group of its own, for a test to kill.</summary>
    public Process StartSync(params string[] args) => StartSyncWithPath(null, args);

    /// <summary>The same, with <paramref name="path"/> as its PATH when given (tools of a test's own first).</summary>
    public Process StartSyncWithPath(string? path, params string[] args)
    {
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] tool = path is null ? [Tool] : ["env", $"PATH={path}", Tool];
        foreach (string arg in (string[])["ip", "netns", "exec", Namespace.Name, .. tool, "sync", .. Common, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
    }

    /// <summary>The whole ruleset, as <c>nft list ruleset</c> prints it.</summary>
    public string NftRuleset() => Namespace.Exec("nft", "list", "ruleset").Succeeded();

    /// <summary>
    /// Every ipset, as <c>ipset save</c> prints it, and every iptables and ip6tables rule as <c>-S</c> prints it (without the
    /// policy counters, which the runs' own connections to the mirror move).
    /// </summary>
    public string IptablesState() =>
        Namespace.Exec("ipset", "save").Succeeded() + Namespace.Exec("iptables", "-w", "-S").Succeeded() + Namespace.Exec("ip6tables", "-w", "-S").Succeeded();

    /// <summary>Every file under the state directory with its content: equal strings mean an unchanged state.</summary>
    public string[] StateFiles() => FetchTesting.Contents(State).Where(entry => !entry.StartsWith("sync.lock", StringComparison.Ordinal)).ToArray();

    public async ValueTask DisposeAsync()
    {
        await Mirror.DisposeAsync();
        Namespace.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
