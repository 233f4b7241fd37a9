using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// A Python command-line tool (the AWS CLI, azure-cli) whose calls start warm: a server (warm-cli.py) imports the tool's
/// heavy modules once, and each call of <see cref="Command"/>, a client named as the tool, runs the tool's own entry
/// script unmodified in a child forked from it, with the call's arguments, environment, folder and standard streams.
/// Scripts run unmodified too: <see cref="Folder"/> goes first on their PATH.
/// </summary>
/// <remarks>
/// An aws call costs about 1 s of CPU started cold and 0.4 s warm, an az call 2.6 s and 0.4 s (measured on this
/// VM): most of it is Python importing botocore, the Azure SDK and the tool's command modules. Each call is still a
/// process of its own, from a server that has only imported modules, so no call sees another's state.
/// </remarks>
internal sealed class WarmCli : IDisposable
{
    private readonly TempFiles _files;
    private readonly Process _server;

    private WarmCli(TempFiles files, Process server, string command)
    {
        _files = files;
        _server = server;
        Command = command;
    }

    /// <summary>The client, named as the tool (e.g. <c>aws</c>).</summary>
    public string Command { get; }

    /// <summary>The folder holding <see cref="Command"/> alone: first on a script's PATH, the script's calls start warm.</summary>
    public string Folder => Path.GetDirectoryName(Command)!;

    /// <summary>
    /// Starts the server of the tool whose entry script is <paramref name="entry"/> (its <c>#!</c> line names the Python),
    /// importing <paramref name="modules"/> in <paramref name="environment"/>; <paramref name="fixedVariables"/> are those
    /// the modules read when imported, which every call must then share.
    /// </summary>
    public static WarmCli Start(string entry, IReadOnlyDictionary<string, string>? environment, string[] fixedVariables, params string[] modules)
    {
        string python = Interpreter(entry);
        string scripts = Path.Combine(TestContext.CurrentContext.TestDirectory, "Emitters", "Cloud");
        var files = new TempFiles();
        string socket = Path.Combine(files.DirectoryPath, "warm.sock");
        string command = files.Write(Path.Combine("bin", Path.GetFileName(entry)),
            $"#!{python} -IS\nSOCKET = {JsonSerializer.Serialize(socket)}\n" + File.ReadAllText(Path.Combine(scripts, "warm-cli-client.py")));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(command, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[Path.Combine(scripts, "warm-cli.py"), socket, entry, string.Join(',', fixedVariables), .. modules])
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process server = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        server.OutputDataReceived += (_, line) =>
        {
            if (line.Data == "ready")
            {
                ready.TrySetResult();
            }
        };
        server.ErrorDataReceived += (_, line) => { lock (errors) { errors.AppendLine(line.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        // Importing azure-cli's network module takes seconds of CPU, far more on a machine shared by builds.
        if (Task.WaitAny([ready.Task, server.WaitForExitAsync()], TimeSpan.FromMinutes(3)) != 0)
        {
            server.Kill(entireProcessTree: true);
            server.Dispose();
            files.Dispose();
            Assert.Fail($"the warm server of {entry} did not start: {errors}");
        }

        return new WarmCli(files, server, command);
    }

    public void Dispose()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
        }

        _server.WaitForExit();
        _server.Dispose();
        _files.Dispose();
    }

    // The Python an entry script names on its #! line (/usr/bin/python3, or the one a version manager installed).
    private static string Interpreter(string entry)
    {
        string[] words = File.ReadLines(entry).First().TrimStart('#', '!').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words[0] == "/usr/bin/env" ? ExternalTool.Command(words[1]) : words[0];
    }
}
