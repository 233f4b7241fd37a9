using System.Globalization;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>One generated file served on a port of its own: the format, its output, and the name its matchers and variables carry.</summary>
internal sealed record ServedFile(int Port, string Format, string Name, string Text);

/// <summary>
/// Debian's nginx, apache2, haproxy and caddy, each one process serving every generated file of a run on a port of its own, each
/// file placed as its header says (an include in a location or server block, a geo map in http with the guard line, an include in a
/// virtual host, an ACL file with the frontend lines its header gives, an import in a site block) before a page that answers 200;
/// and each server's own configuration test of such a configuration.
/// </summary>
internal static class WebServers
{
    /// <summary>Starts <paramref name="server"/> serving <paramref name="files"/>, each on its port.</summary>
    public static ServerProcess Start(NetworkNamespace ns, string server, IReadOnlyList<ServedFile> files)
    {
        string directory = ServerProcess.NewDirectory(server);
        (string[] command, Dictionary<string, string> environment) = Write(server, directory, files);
        return ServerProcess.Start(ns, directory, [.. files.Select(f => f.Port)], command, environment);
    }

    /// <summary>The server's own configuration test (nginx -t, apache2 -t, haproxy -c, caddy validate) of <paramref name="files"/> served as above.</summary>
    public static Linux.ToolResult Check(string server, IReadOnlyList<ServedFile> files)
    {
        string directory = ServerProcess.NewDirectory(server);
        try
        {
            (string[] command, Dictionary<string, string> environment) = Write(server, directory, files);
            string[] check = server switch
            {
                "nginx" => [.. command.Where(a => a != "-g" && a != "daemon off;"), "-t"],
                "apache2" => [.. command.Where(a => a != "-DFOREGROUND"), "-t"],
                "haproxy" => [.. command.Where(a => a != "-db"), "-c"],
                _ => ["caddy", "validate", .. command.Skip(2)],
            };
            string env = string.Concat(environment.Select(e => $"{e.Key}={e.Value} "));
            return LinuxTools.Run("/bin/sh", ["-c", $"{env}exec \"$@\" 2>&1", "check", .. check]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (string[] Command, Dictionary<string, string> Environment) Write(string server, string directory, IReadOnlyList<ServedFile> files)
    {
        string www = Path.Combine(directory, "www");
        Directory.CreateDirectory(www);
        File.WriteAllText(Path.Combine(www, "index.html"), "ok\n");
        foreach (ServedFile file in files)
        {
            File.WriteAllText(Path.Combine(directory, FileName(file)), file.Text);
        }

        string conf = Path.Combine(directory, server switch { "nginx" => "nginx.conf", "apache2" => "httpd.conf", "haproxy" => "haproxy.cfg", _ => "Caddyfile" });
        File.WriteAllText(conf, server switch
        {
            "nginx" => Nginx(directory, files),
            "apache2" => Apache(directory, files),
            "haproxy" => Haproxy(directory, files),
            _ => Caddy(directory, files),
        });
        return server switch
        {
            "nginx" => (["nginx", "-c", conf, "-g", "daemon off;"], []),
            "apache2" => (["apache2", "-f", conf, "-DFOREGROUND"], []),
            "haproxy" => (["haproxy", "-f", conf, "-db"], []),
            _ => (["caddy", "run", "--config", conf, "--adapter", "caddyfile"],
                new() { ["HOME"] = directory, ["XDG_CONFIG_HOME"] = directory, ["XDG_DATA_HOME"] = directory }),
        };
    }

    private static string FileName(ServedFile file) => string.Create(CultureInfo.InvariantCulture, $"{file.Format}-{file.Port}.conf");

    private static string Nginx(string directory, IReadOnlyList<ServedFile> files)
    {
        var conf = new StringBuilder().Append(CultureInfo.InvariantCulture, $$"""
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log;
            worker_processes 1;
            events { worker_connections 512; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body; proxy_temp_path {{directory}}/proxy; fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi; scgi_temp_path {{directory}}/scgi;

            """);
        foreach (ServedFile file in files)
        {
            string include = Path.Combine(directory, FileName(file));
            string root = Path.Combine(directory, "www");
            conf.Append(file.Format == "nginx-geo"
                ? $"    include {include};\n    server {{ listen {file.Port}; listen [::]:{file.Port}; " +
                    $"location / {{ if (${file.Name.Replace('-', '_')}_denied) {{ return 403; }} root {root}; }} }}\n"
                : file.Port % 2 == 0
                    ? $"    server {{ listen {file.Port}; listen [::]:{file.Port}; include {include}; location / {{ root {root}; }} }}\n"
                    : $"    server {{ listen {file.Port}; listen [::]:{file.Port}; location / {{ include {include}; root {root}; }} }}\n");
        }

        return conf.Append("}\n").ToString();
    }

    private static string Apache(string directory, IReadOnlyList<ServedFile> files)
    {
        const string Modules = "/usr/lib/apache2/modules";
        var conf = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            ServerRoot {directory}
            ServerName localhost
            PidFile {directory}/httpd.pid
            ErrorLog {directory}/error.log
            Mutex file:{directory}
            LoadModule mpm_event_module {Modules}/mod_mpm_event.so
            LoadModule authz_core_module {Modules}/mod_authz_core.so
            LoadModule authz_host_module {Modules}/mod_authz_host.so
            LoadModule remoteip_module {Modules}/mod_remoteip.so
            LoadModule dir_module {Modules}/mod_dir.so
            User www-data
            Group www-data
            DocumentRoot {directory}/www
            DirectoryIndex index.html
            <Directory {directory}/www>
                Require all granted
            </Directory>

            """);
        foreach (ServedFile file in files)
        {
            conf.Append(CultureInfo.InvariantCulture, $"Listen {file.Port}\n<VirtualHost *:{file.Port}>\n    Include {Path.Combine(directory, FileName(file))}\n</VirtualHost>\n");
        }

        return conf.ToString();
    }

    private static string Haproxy(string directory, IReadOnlyList<ServedFile> files)
    {
        var conf = new StringBuilder().Append(CultureInfo.InvariantCulture, $"global\n    pidfile {directory}/haproxy.pid\n")
            .Append("defaults\n    mode http\n    timeout connect 5s\n    timeout client 10s\n    timeout server 10s\n");
        foreach (ServedFile file in files)
        {
            conf.Append(CultureInfo.InvariantCulture, $"frontend port{file.Port}\n    bind :{file.Port}\n    bind :::{file.Port} v6only\n");
            foreach (string line in FrontendLines(file.Text))
            {
                conf.Append("    ").Append(line.Replace($"/etc/haproxy/{file.Name}.acl", Path.Combine(directory, FileName(file)), StringComparison.Ordinal)).Append('\n');
            }

            conf.Append("    http-request return status 200 content-type text/plain string ok\n");
        }

        return conf.ToString();
    }

    /// <summary>The frontend's lines an HAProxy ACL file's header gives, as an operator copies them: its indented comment lines.</summary>
    public static IEnumerable<string> FrontendLines(string acl) =>
        acl.Split('\n').Where(line => line.StartsWith("#   ", StringComparison.Ordinal)).Select(line => line[4..]);

    private static string Caddy(string directory, IReadOnlyList<ServedFile> files)
    {
        var conf = new StringBuilder("{\n    admin off\n    auto_https off\n}\n");
        foreach (ServedFile file in files)
        {
            conf.Append(CultureInfo.InvariantCulture, $"http://:{file.Port} {{\n    import {Path.Combine(directory, FileName(file))}\n")
                .Append(CultureInfo.InvariantCulture, $"    respond @{file.Name.Replace('-', '_')}_denied 403\n    respond \"ok\" 200\n}}\n");
        }

        return conf.ToString();
    }
}
