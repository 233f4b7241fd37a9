using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// moto, the AWS emulator, as a real server on 127.0.0.1: one per test run, started on first use and stopped by
/// <see cref="SharedLifetime"/>, and one of its own for each fixture marked <see cref="OwnMotoServerAttribute"/>. The
/// AWS CLI and Terraform reach it through <see cref="Environment"/>; the tests set up VPCs and groups through its EC2
/// query API directly, which is quicker than one CLI process per call.
/// </summary>
/// <remarks>
/// Where moto differs from AWS (the tests work around each, and say so where they do): it counts IPv4 and IPv6 rules
/// together against the 60 rules of a group, AWS counts them per family; its CloudFormation ignores
/// <c>SecurityGroupEgress</c> and does not emulate prefix lists; its Route 53 needs <c>PrivateZone=true</c> for a zone
/// with a VPC. Its quota cannot be raised, so a raised <c>RulesPerGroup</c> is proven by our own parse-back only.
/// </remarks>
internal sealed class MotoServer : IDisposable
{
    private const string Ec2ApiVersion = "2016-11-15";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, MotoServer?> Own = new(StringComparer.Ordinal);
    private static MotoServer? _shared;

    private readonly Process _process;
    private readonly HttpClient _http;

    private MotoServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        _http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>What the AWS CLI (and the AWS provider's environment) needs to talk to this server and nothing else.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        // localhost rather than 127.0.0.1: moto's CloudFormation finds a template in its S3 only by a URL on localhost.
        ["AWS_ENDPOINT_URL"] = $"http://localhost:{Endpoint.Port}",
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/nonexistent/fwrules-tests",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/fwrules-tests",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_PAGER"] = string.Empty,
    };

    /// <summary>The run's server, started on first use.</summary>
    public static MotoServer Shared
    {
        get
        {
            lock (Gate)
            {
                return _shared ??= Start();
            }
        }
    }

    /// <summary>
    /// The server of the calling test's fixture when it has one of its own (<see cref="OwnMotoServerAttribute"/>: started on
    /// first use), else the run's <see cref="Shared"/> one. Read it in the test's own flow, where NUnit knows the test.
    /// </summary>
    public static MotoServer Current
    {
        get
        {
            string? fixture = TestContext.CurrentContext.Test.ClassName;
            lock (Gate)
            {
                if (fixture is null || !Own.TryGetValue(fixture, out MotoServer? own))
                {
                    return _shared ??= Start();
                }

                return Own[fixture] = own ?? Start();
            }
        }
    }

    /// <summary>Stops the run's server and any fixture's server still running.</summary>
    public static void StopShared()
    {
        lock (Gate)
        {
            _shared?.Dispose();
            _shared = null;
            foreach (MotoServer? own in Own.Values)
            {
                own?.Dispose();
            }

            Own.Clear();
        }
    }

    /// <summary>Gives <paramref name="fixture"/> (a class name) a server of its own, started when a test first asks for it.</summary>
    public static void Reserve(string fixture)
    {
        lock (Gate)
        {
            Own[fixture] = null;
        }
    }

    /// <summary>Stops <paramref name="fixture"/>'s own server, if it started one.</summary>
    public static void Release(string fixture)
    {
        MotoServer? own;
        lock (Gate)
        {
            Own.Remove(fixture, out own);
        }

        own?.Dispose();
    }

    /// <summary>A new VPC (10.0.0.0/16) of its own for a test, so tests never see each other's groups.</summary>
    public async Task<string> CreateVpcAsync() =>
        (await Ec2Async("CreateVpc", ("CidrBlock", "10.0.0.0/16"))).Descendants().Single(e => e.Name.LocalName == "vpcId").Value;

    /// <summary>A new security group in <paramref name="vpc"/>, as a user would create it for the script: with AWS's default outbound rule.</summary>
    public async Task<string> CreateSecurityGroupAsync(string vpc, string name) =>
        (await Ec2Async("CreateSecurityGroup", ("GroupName", name), ("GroupDescription", "fwrules test"), ("VpcId", vpc)))
            .Descendants().Single(e => e.Name.LocalName == "groupId").Value;

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private async Task<XElement> Ec2Async(string action, params (string Name, string Value)[] parameters)
    {
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", Ec2ApiVersion), .. parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
        // moto routes a request to a service by the credential scope of its signature, which it does not check.
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0");
        using HttpResponseMessage response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"moto {action}: {body}");
        return XElement.Parse(body);
    }

    private static MotoServer Start()
    {
        string moto = ExternalTool.Command("moto_server");
        int port = FreePort();
        var start = new ProcessStartInfo(moto)
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        // Its request log is not needed; drain it so the server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"));
        var clock = Stopwatch.StartNew();
        while (!server.Answers())
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                server.Dispose();
                Assert.Fail($"moto_server did not answer on port {port}");
            }

            Thread.Sleep(200);
        }

        return server;
    }

    private bool Answers()
    {
        try
        {
            using HttpResponseMessage response = _http.GetAsync(new Uri("/moto-api/", UriKind.Relative)).GetAwaiter().GetResult();
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
