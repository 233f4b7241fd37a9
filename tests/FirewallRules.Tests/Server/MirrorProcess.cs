using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Server;

/// <summary>
/// A real <c>fwrules serve</c> process, the built tool, listening on a free port of 127.0.0.1. It is ready once
/// its log says where it listens; <see cref="TerminateAsync"/> sends SIGTERM, as systemd does, and waits for it to exit.
/// </summary>
internal sealed partial class MirrorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MirrorProcess(Process process) => _process = process;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The root of one site, e.g. <c>http://127.0.0.1:41234/v1/us1/</c>: the address to give <c>--base-url</c>.</summary>
    public Uri Site(string key) => new(BaseUri, $"v1/{key}/");

    public int Id => _process.Id;

    /// <summary>Everything it logged on stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <c>fwrules serve ARGS --listen 127.0.0.1:0</c> and waits until it listens.</summary>
    public static Task<MirrorProcess> StartAsync(params string[] args) => StartAsync(null, args);

    public static Task<MirrorProcess> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartExecutableAsync(FwrulesProcess.Tool, environment, args);

    /// <summary>Starts another build of the tool, such as the published single file.</summary>
    public static Task<MirrorProcess> StartExecutableAsync(string executable, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartCommandAsync([executable], environment, args);

    /// <summary>Starts the tool inside a network namespace (<c>ip netns exec</c> runs it as the same process), listening on that namespace's loopback.</summary>
    public static Task<MirrorProcess> StartInNamespaceAsync(string namespaceName, params string[] args) =>
        StartCommandAsync(["ip", "netns", "exec", namespaceName, FwrulesProcess.Tool], null, args);

    private static async Task<MirrorProcess> StartCommandAsync(string[] command, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[.. command[1..], "serve", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        if (!args.Contains("--listen"))
        {
            start.ArgumentList.Add("--listen");
            start.ArgumentList.Add("127.0.0.1:0");
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var mirror = new MirrorProcess(Process.Start(start) ?? throw new InvalidOperationException("fwrules serve did not start"));
        mirror._process.ErrorDataReceived += (_, line) => mirror.OnLog(line.Data);
        mirror._process.OutputDataReceived += (_, line) => mirror.OnLog(line.Data);
        mirror._process.BeginErrorReadLine();
        mirror._process.BeginOutputReadLine();
        Task exited = mirror._process.WaitForExitAsync();
        Task first = await Task.WhenAny(mirror._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != mirror._listening.Task)
        {
            await mirror.DisposeAsync();
            Assert.Fail($"fwrules serve did not start listening:\n{mirror.Log}");
        }

        mirror.BaseUri = await mirror._listening.Task;
        return mirror;
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan? timeout = null)
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.That(kill.ExitCode, Is.Zero, "kill -TERM failed");
        }

        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
