using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace FirewallRules.Tests.Server;

/// <summary>
/// One <c>node page-check.mjs BASE_URL</c> process and its Chromium, serving a fixture's commands one at a time: each is a
/// line of JSON on its stdin, answered by a line on its stdout. Disposing closes stdin, on which the script closes the
/// browser and exits; a script still running after that is killed with its process tree.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _node;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly StringBuilder _errors = new();
    private string? _ended;

    public BrowserSession(string folder, Uri baseUri)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "page-check.mjs", baseUri.AbsoluteUri },
        };
        start.Environment["CHROMIUM"] = BrowserCheck.Chromium;
        _node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _node.ErrorDataReceived += (_, line) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(line.Data);
            }
        };
        _node.BeginErrorReadLine();
    }

    /// <summary>Runs one command of the script and returns the JSON it answered; a failed command fails the test.</summary>
    public async Task<JsonElement> RunAsync(string command, params string[] args)
    {
        await _turn.WaitAsync();
        try
        {
            // Once the script has ended (or was killed), every later command says so instead of "Broken pipe".
            if (_ended is not null)
            {
                Assert.Fail($"the browser did not run '{command}': {_ended}\n{Errors()}");
            }

            using var timeout = new CancellationTokenSource(CommandTimeout);
            string? line = null;
            try
            {
                await _node.StandardInput.WriteLineAsync(JsonSerializer.Serialize<string[]>([command, .. args]).AsMemory(), timeout.Token);
                await _node.StandardInput.FlushAsync(timeout.Token);
                line = await _node.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _ended = $"'{command}' took more than {CommandTimeout.TotalMinutes} minutes, and the script was killed";
                _node.Kill(entireProcessTree: true);
                Assert.Fail($"the browser command {_ended}:\n{Errors()}");
            }
            catch (IOException)
            {
                // The script ended: its stdin is closed. Reported below, as an end before the answer.
            }

            if (line is null)
            {
                _ended = $"page-check.mjs ended before answering '{command}'";
                Assert.Fail($"{_ended}:\n{Errors()}");
            }

            JsonElement answer = JsonDocument.Parse(line!).RootElement.Clone();
            Assert.That(answer.TryGetProperty("error", out JsonElement error) ? error.GetString() : null, Is.Null,
                () => $"page-check.mjs {command} failed:\n{Errors()}");
            return answer;
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _node.StandardInput.Close();
        }
        catch (IOException)
        {
            // The script already ended; what a failed write left in the buffer cannot be flushed.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }

        _node.Dispose();
        _turn.Dispose();
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }
}
