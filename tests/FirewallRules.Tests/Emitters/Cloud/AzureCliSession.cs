namespace FirewallRules.Tests.Emitters;

/// <summary>
/// The real <c>az</c> (Debian's azure-cli) logged in to an <see cref="ArmStandIn"/>: its own configuration folder, a
/// cloud whose endpoints are the stand-in, and a managed-identity login, as a user on an Azure VM would have. Every call
/// starts warm (<see cref="WarmCli"/>: az's own entry script in a process forked from one that has imported azure-cli's
/// core, its network commands and the Azure SDK, about 2 s of CPU a call less), one server per session.
/// </summary>
/// <remarks>
/// Debian's azure-cli 2.45 ships an older Azure SDK whose default profile crashes in <c>az network</c>
/// (<c>'NoneType' object has no attribute 'standard_medium'</c>), so the cloud uses the 2020-09-01-hybrid profile.
/// </remarks>
internal sealed class AzureCliSession : IDisposable
{
    // What az imports for `az network nsg rule` and its login, cloud and SDK (the network module reads its commands
    // and arguments from these when a call loads them).
    private static readonly string[] Modules =
    [
        "azure.cli.core", "azure.cli.core.commands", "azure.cli.core.aaz", "azure.cli.command_modules.network",
        "azure.cli.command_modules.network.custom", "azure.cli.command_modules.network._params", "azure.mgmt.network", "msal", "requests",
    ];

    private readonly TempFiles _files = new();
    private WarmCli? _az;

    private AzureCliSession(Dictionary<string, string> environment)
    {
        Environment = environment;
    }

    /// <summary>What az needs to reach the stand-in: its configuration folder, the stand-in's certificate, its identity endpoint.</summary>
    public Dictionary<string, string> Environment { get; }

    public static AzureCliSession LogIn(ArmStandIn arm)
    {
        var session = new AzureCliSession([]);
        session.Environment["AZURE_CONFIG_DIR"] = Path.Combine(session._files.DirectoryPath, "azure");
        session.Environment["REQUESTS_CA_BUNDLE"] = session._files.Write("stand-in.pem", arm.CertificatePem);
        session.Environment["MSI_ENDPOINT"] = arm.Endpoint + "/msi/token";
        session.Environment["AZURE_CORE_COLLECT_TELEMETRY"] = "false";
        session.Environment["AZURE_CORE_ONLY_SHOW_ERRORS"] = "true";
        // azure-cli reads its configuration folder when imported: the server is the session's own.
        session._az = WarmCli.Start(ExternalTool.Command("az"), session.Environment, ["AZURE_CONFIG_DIR"], Modules);
        session.Az("cloud", "register", "--name", "FwrulesStandIn", "--endpoint-resource-manager", arm.Endpoint, "--profile", "2020-09-01-hybrid");
        session.Az("cloud", "set", "--name", "FwrulesStandIn");
        session.Az("login", "--identity", "--output", "none");
        return session;
    }

    /// <summary>Runs az; a failure fails the test with az's own words.</summary>
    public ToolResult Az(params string[] args)
    {
        ToolResult result = ExternalTool.Run(_az!.Command, args, Environment, timeout: TimeSpan.FromMinutes(3));
        Assert.That(result.ExitCode, Is.EqualTo(0), $"az {string.Join(' ', args)}: {result.Error}");
        return result;
    }

    /// <summary>Runs an azure-nsg script unmodified with bash, the NSG's resource group and name in its variables.</summary>
    public ToolResult RunScript(string script, string resourceGroup, string nsg)
    {
        string path = _files.Write("rules.sh", script);
        var environment = new Dictionary<string, string>(Environment)
        {
            ["DATADOG_RESOURCE_GROUP"] = resourceGroup,
            ["DATADOG_NSG"] = nsg,
            ["PATH"] = _az!.Folder + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        };
        return ExternalTool.Run(ExternalTool.Bash(), [path], environment, timeout: TimeSpan.FromMinutes(10));
    }

    public void Dispose()
    {
        _az?.Dispose();
        _files.Dispose();
    }
}
