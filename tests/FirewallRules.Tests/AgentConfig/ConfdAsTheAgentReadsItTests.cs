using System.Runtime.InteropServices;
using System.Text;
using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// conf.d under an agent's configuration folder read as the agent reads it (<c>os.ReadDir</c> on confd_path, which follows a link to the
/// folder itself and lists a linked CHECK.d as no folder): a linked conf.d, the layout a Kubernetes ConfigMap mounts (<c>..data</c>),
/// a Windows confd_path, and the entries the agent skips or this tool cannot open, each said for what it is.
/// </summary>
[TestFixture]
public class ConfdAsTheAgentReadsItTests
{
    private const string Dbm = "instances:\n  - host: db.example\n    dbm: true\n";

    private TempFiles _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFiles();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    private string PathOf(string name) => Path.Combine(_folder.DirectoryPath, name);

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(name))!);
        File.WriteAllText(PathOf(name), text);
    }

    private Task<AgentPlan> PlanAsync() => AgentConfiguration.ReadAsync(AgentConfigurationSources.FromDirectory(_folder.DirectoryPath));

    private static string[] Features(AgentPlan plan) => [.. plan.Destinations.Select(d => d.Feature)];

    [TestCase(null)]
    [TestCase("/etc/datadog-agent/conf.d")]
    public async Task LinkedConfd_IsRead_ByDefaultAndThroughConfdPathAlike(string? confdPath)
    {
        Write("datadog.yaml", "api_key: x\n" + (confdPath is null ? string.Empty : $"confd_path: {confdPath}\n"));
        Write("shared/confd/postgres.d/conf.yaml", Dbm);
        File.CreateSymbolicLink(PathOf("conf.d"), PathOf("shared/confd"));

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Contain("database-monitoring"), "the agent's ReadDir follows the link to conf.d itself");
    }

    [Test]
    public async Task ConfigMapLayout_IsRead_ThroughItsDataLink_WithNoNoteOnTheLinks()
    {
        // A ConfigMap mounted as conf.d: each key a link into ..data, itself a link to the timestamped folder.
        Write("datadog.yaml", "api_key: x\n");
        Write("conf.d/..2026_11_29_14_00_00.1/postgres.yaml", Dbm);
        Directory.CreateSymbolicLink(PathOf("conf.d/..data"), "..2026_11_29_14_00_00.1");
        File.CreateSymbolicLink(PathOf("conf.d/postgres.yaml"), "..data/postgres.yaml");

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Contain("database-monitoring"));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("..data").And.None.Contains("skipped"));
    }

    [Test]
    public async Task LinkedCheckFolder_IsNamedInANote_AsTheAgentSkipsIt()
    {
        Write("datadog.yaml", "api_key: x\n");
        Write("elsewhere/pg/conf.yaml", Dbm);
        Directory.CreateDirectory(PathOf("conf.d"));
        Directory.CreateSymbolicLink(PathOf("conf.d/postgres.d"), PathOf("elsewhere/pg"));

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Not.Contain("database-monitoring"));
        Assert.That(plan.Notes.Texts(), Has.One.Contains("conf.d/postgres.d (a symbolic link to a folder, which the agent lists as no folder and does not read)"));
    }

    [Test]
    public async Task LinkLoop_IsSkippedAndSaid_WhileTheRestIsRead()
    {
        Write("datadog.yaml", "api_key: x\n");
        Write("conf.d/postgres.d/conf.yaml", Dbm);
        File.CreateSymbolicLink(PathOf("conf.d/loop.yaml"), "loop.yaml");

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Contain("database-monitoring"));
        Assert.That(plan.Notes.Texts(), Has.One.Contains("conf.d/loop.yaml (a symbolic link loop, which the agent cannot open either)"));
    }

    [Test]
    public async Task NonUtf8Name_IsSaidForWhatItIs_NotAsAnEmptyOrInvalidFile()
    {
        Write("datadog.yaml", "api_key: x\n");
        Write("conf.d/postgres.d/conf.yaml", Dbm);
        byte[] raw = RawPath(Path.Combine(_folder.DirectoryPath, "conf.d"), [0x6d, 0xff, 0x2e, 0x79, 0x61, 0x6d, 0x6c]); // "m\xff.yaml"
        int fd = Open(raw, 0x41 /* O_CREAT | O_WRONLY */, 0x1a4 /* 0644 */);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), "open(2)");
        Assert.That(Close(fd), Is.Zero);
        AgentPlan plan;
        try
        {
            plan = await PlanAsync();
        }
        finally
        {
            // .NET cannot delete a name it cannot spell either.
            Assert.That(Unlink(raw), Is.Zero, "unlink(2)");
        }

        string note = plan.Notes.Texts().Single(n => n.Contains("not UTF-8", StringComparison.Ordinal));
        Assert.That(note, Does.Contain("this tool cannot open it by its name").And.Not.Contain("empty, not YAML"));
        Assert.That(Features(plan), Does.Contain("database-monitoring"));
    }

    [TestCase(@"c:\programdata\datadog\conf.d")]
    [TestCase(@"C:\ProgramData\Datadog\conf.d\")]
    [TestCase("C:/ProgramData/Datadog/conf.d")]
    public async Task WindowsConfdPath_IsTheFoldersConfd(string confdPath)
    {
        Write("datadog.yaml", $"api_key: x\nconfd_path: '{confdPath}'\n");
        Write("conf.d/postgres.d/conf.yaml", Dbm);

        AgentPlan plan = await PlanAsync();

        Assert.That(Features(plan), Does.Contain("database-monitoring"));
    }

    [Test]
    public void RegularFile_GivenAsTheFolder_IsCalledAFile_NotAMissingFolder()
    {
        Write("datadog.yaml", "api_key: x\n");

        var error = Assert.Throws<IOException>(() => AgentConfigurationSources.FromDirectory(PathOf("datadog.yaml")))!;

        Assert.That(error, Is.Not.InstanceOf<DirectoryNotFoundException>());
        Assert.That(error.Message, Does.EndWith("is a file, not a folder: give a datadog.yaml as the agent's configuration file (ConfigFile), not as its folder"));
    }

    // The path of a file in folder whose name is the bytes given (no UTF-8 string names it), for libc.
    private static byte[] RawPath(string folder, byte[] name) => [.. Encoding.UTF8.GetBytes(folder + "/"), .. name, 0];

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags, int mode);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static extern int Unlink(byte[] path);
}
