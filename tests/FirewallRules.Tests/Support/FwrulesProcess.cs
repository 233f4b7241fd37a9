using System.Diagnostics;
using System.Text;

namespace FirewallRules.Tests.Support;

/// <summary>Runs the real <c>fwrules</c> executable built next to the tests, as a user would.</summary>
internal static class FwrulesProcess
{
    /// <summary>
    /// The tool as the README's publish command builds it for this machine (Native AOT), which the test project's build
    /// publishes: it starts in a few milliseconds, where the framework-dependent build compiles its code at every start. A build
    /// with <c>SkipNativeTool=true</c> in the environment publishes none (tests/mutations/run.sh, which rebuilds for every
    /// patch): the tests run with that environment then start the framework-dependent build, of the same code.
    /// </summary>
    public static string Tool => Environment.GetEnvironmentVariable("SkipNativeTool") == "true"
        ? FrameworkDependentTool
        : Path.Combine(TestContext.CurrentContext.TestDirectory, "native", "fwrules");

    /// <summary>The framework-dependent build (the dotnet tool package's), for the tests about what it loads and when.</summary>
    public static string FrameworkDependentTool => Path.Combine(TestContext.CurrentContext.TestDirectory, "fwrules");

    public static Task<ProcessResult> RunAsync(string? stdin, params string[] args) => RunExecutableAsync(Tool, null, stdin, args);

    /// <summary>
    /// The environment that caps a run's GC heap at <paramref name="megabytes"/> MB: <c>DOTNET_GCHeapHardLimit</c> in
    /// hexadecimal without <c>0x</c>, the one form both builds read (the native binary ignores a value written with 0x).
    /// </summary>
    public static Dictionary<string, string> HeapLimit(int megabytes) =>
        new() { ["DOTNET_GCHeapHardLimit"] = (megabytes * 1024L * 1024L).ToString("x", System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>Runs with these environment variables set on top of the test's own.</summary>
    public static Task<ProcessResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, string? stdin, params string[] args) =>
        RunExecutableAsync(Tool, environment, stdin, args);

    /// <summary>Runs another build of the tool, such as the published single file.</summary>
    public static async Task<ProcessResult> RunExecutableAsync(string executable, IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("fwrules did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await EndInputAsync(process, stdin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Writes <paramref name="stdin"/> (if any) to the process's standard input and closes it. A run that ends before it
    /// reads its input (a usage error exits in milliseconds) closes the pipe: that is no failure of the test's, and the exit
    /// code and what the run printed tell what happened.
    /// </summary>
    public static async Task EndInputAsync(Process process, string? stdin)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The broken pipe of a process that has exited. Closing again flushes again and throws again, but the writer
            // still closes its pipe and counts as disposed, so the process's own disposal does not meet it.
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
    }
}

internal sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Runs verbs in process with captured streams, for the many cases where a process start adds nothing.</summary>
internal static class FwrulesInProcess
{
    public static Task<ProcessResult> RunAsync(string? stdin, params string[] args) => RunWithAsync(null, stdin, args);

    /// <summary>Runs with a registry of the test's choosing (for emitters the tests define).</summary>
    public static async Task<ProcessResult> RunWithAsync(FirewallRules.Emitters.EmitterRegistry? registry, string? stdin, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        int code = await FirewallRules.Cli.CliApp.RunAsync(args, Console(stdin, output, error), registry);
        return new ProcessResult(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    /// <summary>The start-up shortcut for plain <c>aggregate</c> runs; null when it leaves the arguments to the full parser.</summary>
    public static ProcessResult? TryRunPlain(string? stdin, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        int? code = FirewallRules.Cli.Commands.AggregateCommand.TryRunPlain(args, Console(stdin, output, error));
        return code is null ? null : new ProcessResult(code.Value, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    private static FirewallRules.Cli.CliConsole Console(string? stdin, MemoryStream output, StringWriter error) => new(
        () => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? string.Empty)),
        () => new NonClosingStream(output),
        error,
        errorIsTerminal: false);

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}

/// <summary>
/// The built <c>fwrules</c> left running: for a test that signals it mid-run, or that bounds how long a run may take. Disposed
/// while it still runs, it is killed.
/// </summary>
internal sealed class RunningFwrules : IAsyncDisposable
{
    private readonly Process _process;

    private RunningFwrules(Process process)
    {
        _process = process;
        Output = process.StandardOutput.ReadToEndAsync();
        Error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The process id, for <c>kill(2)</c>.</summary>
    public int Id => _process.Id;

    public Task<string> Output { get; }

    public Task<string> Error { get; }

    /// <summary>Starts the tool; <paramref name="holdStdin"/> keeps its standard input open and empty (a read of it waits).</summary>
    public static RunningFwrules Start(IReadOnlyDictionary<string, string>? environment, bool holdStdin, params string[] args) =>
        StartExecutable(FwrulesProcess.Tool, environment, holdStdin, args);

    /// <summary>Starts the framework-dependent build, whose assemblies <see cref="LoadedAsync"/> sees loaded.</summary>
    public static RunningFwrules StartFrameworkDependent(IReadOnlyDictionary<string, string>? environment, bool holdStdin, params string[] args) =>
        StartExecutable(FwrulesProcess.FrameworkDependentTool, environment, holdStdin, args);

    private static RunningFwrules StartExecutable(string executable, IReadOnlyDictionary<string, string>? environment, bool holdStdin, string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        args.ToList().ForEach(start.ArgumentList.Add);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var running = new RunningFwrules(Process.Start(start) ?? throw new InvalidOperationException("fwrules did not start"));
        if (!holdStdin)
        {
            running._process.StandardInput.Close();
        }

        return running;
    }

    /// <summary>Waits until the runtime has loaded <paramref name="assembly"/> (e.g. the command-line parser, which the program loads after its first line).</summary>
    public async Task LoadedAsync(string assembly)
    {
        string maps = $"/proc/{Id}/maps";
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(20))
        {
            if (File.Exists(maps) && (await File.ReadAllTextAsync(maps)).Contains(assembly, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"fwrules did not load {assembly} within 60 s");
    }

    /// <summary>Writes <paramref name="text"/> to the standard input held open, and closes it.</summary>
    public Task EndInputAsync(string text) => FwrulesProcess.EndInputAsync(_process, text);

    /// <summary>Sends <paramref name="signal"/> (15 SIGTERM, 2 SIGINT).</summary>
    public void Signal(int signal) => Assert.That(Kill(Id, signal), Is.Zero, "kill(2)");

    /// <summary>The run's result once it ended; a run still going after <paramref name="within"/> is killed and the test fails.</summary>
    public async Task<ProcessResult> EndedAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"fwrules still ran after {within.TotalSeconds} s");
        }

        return new ProcessResult(_process.ExitCode, await Output, await Error);
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

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
