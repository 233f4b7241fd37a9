using System.Globalization;
using System.Net;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Emitters.WebServer;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// <c>fwrules sync -f nginx --output FILE</c> keeps a file Debian's nginx includes in step, with real connections after each run:
/// the first run writes it and reloads nginx; a run with nothing new touches nothing; a new version whose ranges are the same
/// rewrites the file's comments without a reload; a version that drops prefixes keeps them for --keep-removed (the host sync's
/// grace) and reloads; a failing configuration test puts the last good file back and does not reload; trusted proxies given to
/// sync reach the file. And what sync refuses for a server's file, in one line.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class ServerFileSyncTests
{
    private const int Port = 8443;

    // A webhooks address of v47 and v52, one v52 no longer lists, and one Datadog never listed.
    private static readonly IPAddress Kept = IPAddress.Parse("23.20.198.65"), Dropped = IPAddress.Parse("3.229.86.174"), Outside = IPAddress.Parse("198.51.100.7");

    [Test]
    public async Task Sync_Nginx_WritesChecksAndReloadsOnlyWhatChanged_AndPutsTheLastGoodFileBackWhenTheTestFails()
    {
        await using SyncHost host = await SyncHost.StartAsync(46, "ss", "nginx");
        WebServerLab.AddAddresses(host.Namespace, [Kept, Dropped, Outside]);
        string directory = ServerProcess.NewDirectory("nginx-sync");
        string conf = Path.Combine(directory, "nginx.conf"), output = Path.Combine(directory, "datadog.conf"), reloads = Path.Combine(directory, "reloads");
        File.WriteAllText(output, "allow all;\n");
        Directory.CreateDirectory(Path.Combine(directory, "www"));
        File.WriteAllText(Path.Combine(directory, "www", "index.html"), "ok\n");
        File.WriteAllText(conf, NginxConf(directory, output));
        using ServerProcess nginx = ServerProcess.Start(host.Namespace, directory, [Port], ["nginx", "-c", conf, "-g", "daemon off;"]);
        string[] sync = [
            "-f", "nginx", "--output", output, "--check", $"nginx -t -q -c {conf}", "--reload", $"nginx -s reload -c {conf} && echo >> {reloads}", "--keep-removed", "1h"];

        ToolResult first = await host.SyncAsync(sync);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(first.Output, Does.StartWith($"sync: applied ip-ranges version 46 (").And.Contain($"to nginx file {output}: "));
        await AssertAdmitsAsync(host, Kept, Dropped, refused: Outside);

        ToolResult again = await host.SyncAsync(sync);
        Assert.That(again.Output, Does.StartWith("sync: nothing to do: nginx file "));
        host.Mirror.Serve(FetchTesting.Document(47));
        ToolResult sameRanges = await host.SyncAsync(sync);
        Assert.That(sameRanges.Output, Does.Contain("(no element changed;"));
        Assert.That(File.ReadAllText(output), Does.Contain("version 47"), "the file names the version in force");
        Assert.That(Reloads(reloads), Is.EqualTo(1), "nginx is reloaded only when the directives change");

        host.Mirror.Serve(FetchTesting.Document(52));
        ToolResult dropped = await host.SyncAsync(sync);
        Assert.That(dropped.ExitCode, Is.Zero, dropped.Error);
        Assert.That(dropped.Output, Does.Contain("kept 6 prefixes Datadog no longer publishes"));
        Assert.That(Reloads(reloads), Is.EqualTo(2));
        await AssertAdmitsAsync(host, Kept, Dropped, refused: Outside);

        string good = File.ReadAllText(output);
        File.WriteAllText(conf, File.ReadAllText(conf).Replace("events {", "broken;\nevents {", StringComparison.Ordinal));
        ToolResult refused = await host.SyncAsync([.. sync, "--trusted-proxies", "192.0.2.0/24"]);
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain($"refused {output}: ").And.Contain("was put back as it was last good, and the server was not reloaded"));
        Assert.That((File.ReadAllText(output), Reloads(reloads)), Is.EqualTo((good, 2)), "the last good file is back, and nginx was not reloaded");

        File.WriteAllText(conf, NginxConf(directory, output));
        ToolResult proxies = await host.SyncAsync([.. sync, "--trusted-proxies", "192.0.2.0/24"]);
        Assert.That(proxies.ExitCode, Is.Zero, proxies.Error);
        Assert.That(File.ReadAllText(output), Does.Contain("set_real_ip_from 192.0.2.0/24;\n"), "a new setting rewrites the file");
        Assert.That(Reloads(reloads), Is.EqualTo(3));
    }

    [TestCase(new[] { "-f", "nginx" }, "-f nginx keeps a file a server reads: name it with --output FILE (e.g. /etc/nginx/snippets/datadog.conf).")]
    [TestCase(new[] { "-f", "nftables", "--output", "x.conf" }, "--output is for the formats of a file a server reads (nginx, nginx-geo, apache, haproxy, caddy).")]
    [TestCase(new[] { "-f", "nftables", "--trusted-proxies", "10.0.0.0/8" }, "--trusted-proxies is for the formats of a file a server reads")]
    [TestCase(new[] { "-f", "nginx", "--output", "x.conf", "--location", "/hooks/" }, "--location applies to apache, not to nginx.")]
    [TestCase(new[] { "-f", "nginx", "--output", "x.conf", "--agent", "datadog" }, "-f nginx admits who calls your server;")]
    public async Task Sync_ServerFileOptionsOutOfPlace_ExitTwoOnOneLine(string[] args, string message)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["sync", .. args]);

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)), result.Error);
        Assert.That(result.Error.Split('\n')[0], Does.StartWith($"fwrules: {message}"));
    }

    private static int Reloads(string path) => File.Exists(path) ? File.ReadAllLines(path).Length : 0;

    // Each answer is waited for a few seconds: a reloaded nginx's old workers finish their connections first.
    private static async Task AssertAdmitsAsync(SyncHost host, IPAddress kept, IPAddress dropped, IPAddress refused)
    {
        foreach ((IPAddress client, int status) in new[] { (kept, 200), (dropped, 200), (refused, 403) })
        {
            // A reload's new workers take over within seconds, longer on a loaded machine: asked until the answer is the
            // expected one or 30 seconds have passed, so only a wrong answer that lasts fails.
            int seen = 0;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (seen != status && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                seen = await WebServerLab.AskAsync(host.Namespace, Port, new WebProbe(ProbeKind.Direct, client, [], null));
                await Task.Delay(seen == status ? 0 : 100);
            }

            Assert.That(seen, Is.EqualTo(status), $"{client}");
        }
    }

    private static string NginxConf(string directory, string include) => string.Create(CultureInfo.InvariantCulture, $$"""
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log;
        worker_processes 1;
        events { worker_connections 64; }
        http {
            access_log off;
            client_body_temp_path {{directory}}/body; proxy_temp_path {{directory}}/proxy; fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi; scgi_temp_path {{directory}}/scgi;
            server { listen {{Port}}; location / { include {{include}}; root {{directory}}/www; } }
        }

        """);
}
