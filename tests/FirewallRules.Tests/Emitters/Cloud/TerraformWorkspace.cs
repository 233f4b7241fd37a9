using System.Text;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// A folder for the real <c>terraform</c> (1.11) with the image's offline mirror of the hashicorp/aws provider: init,
/// validate, fmt and apply, either on one output as the root module or on many outputs at once, each a child module.
/// </summary>
/// <remarks>
/// The mirror is the folder holding <c>registry.terraform.io/</c>: <c>$FWRULES_TERRAFORM_MIRROR</c>, or found at most
/// two levels below <c>/</c> (the image keeps it in <c>/opt/tf-plugins</c>), never in <c>/tmp</c>, where another run's
/// scratch copy (a wrapper, a trial's mirror) would be taken for it. The CLI configuration allows no other source, so
/// nothing is downloaded.
/// </remarks>
internal sealed partial class TerraformWorkspace : IDisposable
{
    private readonly TempFiles _files = new();
    private readonly string _terraform;
    private readonly Dictionary<string, string> _environment;

    public TerraformWorkspace()
    {
        _terraform = ExternalTool.Command("terraform");
        string mirror = Mirror() ?? ExternalTool.Missing<string>("no offline mirror of the hashicorp/aws provider (a folder holding registry.terraform.io/hashicorp/aws)");
        string config = _files.Write(".terraformrc", $$"""
            provider_installation {
              filesystem_mirror {
                path    = "{{mirror}}"
                include = ["registry.terraform.io/hashicorp/aws"]
              }
              direct {
                exclude = ["registry.terraform.io/*/*"]
              }
            }

            """);
        _environment = new Dictionary<string, string>
        {
            ["TF_CLI_CONFIG_FILE"] = config,
            ["TF_IN_AUTOMATION"] = "1",
            ["CHECKPOINT_DISABLE"] = "1",
            ["TF_INPUT"] = "0",
        };
    }

    public string Folder => _files.DirectoryPath;

    /// <summary>Writes one output as the root module's <c>main.tf</c>.</summary>
    public void WriteRoot(string hcl) => _files.Write("main.tf", hcl);

    /// <summary>Writes a file of the configuration at <paramref name="name"/>, a path in the folder (a child module's <c>lists/main.tf</c>).</summary>
    public void WriteFile(string name, string hcl) => _files.Write(name, hcl);

    /// <summary>
    /// Writes each output as a child module (its own folder) of a root module that calls them all, giving each
    /// variable a well-formed value, so one init and one validate check them all.
    /// </summary>
    public void WriteModules(IReadOnlyList<string> outputs)
    {
        var root = new StringBuilder();
        for (int i = 0; i < outputs.Count; i++)
        {
            string name = $"output_{i}";
            _files.Write(Path.Combine(name, "main.tf"), outputs[i]);
            // Aligned on '=' as terraform fmt writes it, so that fmt -check holds for the whole folder.
            (string Key, string Value)[] arguments =
            [
                ("source", $"\"./{name}\""),
                .. Variable().Matches(outputs[i]).Select(v => (v.Groups[1].Value, SampleValue(v.Groups[1].Value))),
            ];
            int width = arguments.Max(a => a.Key.Length);
            root.Append(System.Globalization.CultureInfo.InvariantCulture, $"module \"{name}\" {{\n");
            foreach ((string key, string value) in arguments)
            {
                root.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {key.PadRight(width)} = {value}\n");
            }

            root.Append("}\n\n");
        }

        _files.Write("main.tf", root.ToString().TrimEnd() + "\n");
    }

    /// <summary>
    /// Points the hashicorp/aws provider at <paramref name="moto"/>: a provider block beside the output with moto's
    /// credentials, and moto's address in <c>AWS_ENDPOINT_URL</c>, which the provider's AWS SDK reads for every service.
    /// </summary>
    /// <remarks>
    /// Not an <c>endpoints</c> block: the provider validates that block (hundreds of service attributes) for about 4 s of
    /// CPU in each of its instances, three or four per plan or apply, which was a third of this fixture's CPU. A call
    /// that missed moto would go to AWS itself, which this machine cannot reach, and fail.
    /// </remarks>
    public void UseMoto(MotoServer moto)
    {
        _environment["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString().TrimEnd('/');
        _files.Write("moto_provider.tf", """
            provider "aws" {
              region                      = "us-east-1"
              access_key                  = "testing"
              secret_key                  = "testing"
              skip_credentials_validation = true
              skip_requesting_account_id  = true
              skip_metadata_api_check     = true
            }

            """);
    }

    /// <summary>Runs terraform with these arguments in the folder; a non-zero exit fails the test with terraform's own words.</summary>
    public ToolResult Run(params string[] args)
    {
        ToolResult result = TryRun(args);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"terraform {string.Join(' ', args)}:\n{result.Output}\n{result.Error}");
        return result;
    }

    /// <summary>Runs terraform with these arguments in the folder and returns what it did, failed or not.</summary>
    public ToolResult TryRun(params string[] args) =>
        ExternalTool.Run(_terraform, ["-chdir=" + Folder, .. args, .. args[0] is "fmt" ? Array.Empty<string>() : ["-no-color"]],
            _environment, timeout: TimeSpan.FromMinutes(10));

    /// <summary><c>terraform init</c>, offline.</summary>
    public void Init() => Run("init", "-input=false", "-backend=false");

    /// <summary><c>terraform apply</c> with these variables.</summary>
    public void Apply(params (string Name, string Value)[] variables) =>
        Run(["apply", "-auto-approve", "-input=false", .. variables.Select(v => $"-var={v.Name}={v.Value}")]);

    /// <summary>
    /// <c>terraform plan -detailed-exitcode</c>: true when the infrastructure matches the configuration (exit 0),
    /// false when there are changes to make (exit 2).
    /// </summary>
    public bool PlanIsEmpty(params (string Name, string Value)[] variables)
    {
        ToolResult result = TryRun(["plan", "-detailed-exitcode", "-input=false", .. variables.Select(v => $"-var={v.Name}={v.Value}")]);
        Assert.That(result.ExitCode, Is.EqualTo(0).Or.EqualTo(2), result.Output + result.Error);
        return result.ExitCode == 0;
    }

    public void Dispose() => _files.Dispose();

    private static string SampleValue(string variable) => variable switch
    {
        _ when variable.EndsWith("_subnet_ids", StringComparison.Ordinal) => "[\"subnet-0123456789abcdef0\"]",
        _ when variable.EndsWith("_region", StringComparison.Ordinal) => "\"us-east-1\"",
        _ when variable.EndsWith("_vpc_id", StringComparison.Ordinal) => "\"vpc-0123456789abcdef0\"",
        _ when variable.EndsWith("_waf_scope", StringComparison.Ordinal) => "\"REGIONAL\"",
        _ => throw new InvalidOperationException($"no sample value for variable {variable}"),
    };

    private static string? Mirror()
    {
        if (Environment.GetEnvironmentVariable("FWRULES_TERRAFORM_MIRROR") is { Length: > 0 } configured)
        {
            return configured;
        }

        IEnumerable<string> Below(string folder)
        {
            try
            {
                return Directory.EnumerateDirectories(folder);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                return [];
            }
        }

        return Below("/").Where(d => d is not ("/proc" or "/sys" or "/dev" or "/tmp"))
            .SelectMany(d => Below(d).Prepend(d))
            .FirstOrDefault(d => Directory.Exists(Path.Combine(d, "registry.terraform.io", "hashicorp", "aws")));
    }

    [GeneratedRegex("""^variable "([a-z0-9_]+)" \{""", RegexOptions.Multiline)]
    private static partial Regex Variable();
}
