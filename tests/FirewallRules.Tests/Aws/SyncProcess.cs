using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FirewallRules.Tests.Aws;

/// <summary>A running <c>fwrules sync</c> (against an account, or a host's): its output kept, and stopped by a real signal.</summary>
internal sealed class SyncProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private SyncProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static SyncProcess Start(AwsAccount account, string[] args) => Start(account.Proxy.Environment, args);

    /// <summary>Starts the built <c>fwrules</c> with <paramref name="args"/> and <paramref name="environment"/> added to this process's.</summary>
    public static SyncProcess Start(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        // Through env(1), which resets SIGINT and SIGTERM to their defaults and then becomes fwrules (same pid): a test run started
        // in the background of a script inherits SIGINT ignored, and the runtime leaves an ignored SIGINT ignored.
        var start = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(FwrulesProcess.Tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        var sync = new SyncProcess(Process.Start(start) ?? throw new InvalidOperationException("fwrules did not start"));
        sync._process.OutputDataReceived += (_, e) => Append(sync._output, e.Data);
        sync._process.ErrorDataReceived += (_, e) => Append(sync._error, e.Data);
        sync._process.BeginOutputReadLine();
        sync._process.BeginErrorReadLine();
        return sync;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, KILL) with the real kill(1).</summary>
    public void Signal(string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Sends <paramref name="signal"/> once a call the test holds has <paramref name="arrived"/>, and, when <paramref name="release"/> is given,
    /// lets that call through half a second later (the run has given up on its answer, and AWS applies it anyway); returns how the run ended.
    /// </summary>
    public async Task<ProcessResult> StopWhenHeldAsync(Task arrived, string signal = "TERM", TaskCompletionSource? release = null)
    {
        await arrived.WaitAsync(TimeSpan.FromMinutes(2));
        Signal(signal);
        if (release is not null)
        {
            await Task.Delay(500);
            release.SetResult();
        }

        return await WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Sends SIGTERM 0.3 s after a call the test holds has <paramref name="arrived"/>, and answers that call (lets it through)
    /// once <paramref name="latency"/> has passed since it arrived, or as soon as the run exits, whichever comes first: a run
    /// that gives up on the answer exits first, and the call lands after it; returns how the run ended.
    /// </summary>
    public async Task<ProcessResult> StopWhileInFlightAsync(Task arrived, TaskCompletionSource release, TimeSpan latency)
    {
        await arrived.WaitAsync(TimeSpan.FromMinutes(2));
        Task answered = Task.Delay(latency);
        await Task.Delay(300);
        Signal("TERM");
        Task<ProcessResult> exited = WaitAsync(TimeSpan.FromMinutes(2));
        await Task.WhenAny(exited, answered);
        release.TrySetResult();
        return await exited;
    }

    /// <summary>The stopped run's line: asserts its exit status and that this one line is all it wrote to standard error.</summary>
    public static string StopLine(ProcessResult stopped, int status = 143)
    {
        Assert.That(stopped.ExitCode, Is.EqualTo(status), stopped.Error);
        string line = stopped.Error.Trim();
        Assert.That(line.Split('\n'), Has.Length.EqualTo(1), "not one line");
        return line;
    }

    /// <summary>Waits for the exit (at most <paramref name="timeout"/>, then kills it) and returns what it wrote.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            Assert.Fail($"fwrules did not exit within {timeout}: {_error}");
        }

        _process.WaitForExit();
        lock (_output)
        {
            lock (_error)
            {
                return new ProcessResult(_process.ExitCode, _output.ToString(), _error.ToString());
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder into, string? line)
    {
        if (line is not null)
        {
            lock (into)
            {
                into.Append(line).Append('\n');
            }
        }
    }
}
