using System.Diagnostics;
using System.Text;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// A tool process that answers requests one line each on its stdin with one line on its stdout, kept for the run so
/// that its start (an interpreter and what it loads) is paid once rather than per check.
/// </summary>
internal sealed class LineWorker : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private LineWorker(Process process) => _process = process;

    public static LineWorker Start(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var worker = new LineWorker(Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start"));
        worker._process.ErrorDataReceived += (_, e) =>
        {
            lock (worker._errors)
            {
                worker._errors.AppendLine(e.Data);
            }
        };
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Sends one request line and returns the answer line; fails the test if the process has stopped answering.</summary>
    public string Ask(string request)
    {
        lock (_gate)
        {
            _process.StandardInput.WriteLine(request);
            _process.StandardInput.Flush();
            Task<string?> answer = _process.StandardOutput.ReadLineAsync();
            if (!answer.Wait(TimeSpan.FromMinutes(5)) || answer.Result is null)
            {
                Assert.Fail($"{_process.StartInfo.FileName} gave no answer to {request}: {Errors()}");
            }

            return answer.Result!;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }
}
