using System.Runtime.Versioning;
using System.Text;
using FirewallRules.IO;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.IO;

/// <summary>
/// The file writer against what can be at a path on a root host: devices, FIFOs, links, files of other owners, the
/// leftovers of a killed run. Special files are made in a temporary folder (mknod, mkfifo), never the system's own.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[SupportedOSPlatform("linux")]
[Platform("Linux")]
[Category("RealTools")]
public sealed class AtomicFileTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Write_CharacterDevice_WritesThroughAndLeavesTheDevice()
    {
        LinuxTools.Require("mknod");
        string device = Path.Combine(_directory, "null");
        LinuxTools.Run("mknod", [device, "c", "1", "3"]).Succeeded(); // the same device as /dev/null

        AtomicFile.Write(device, Content("rules"));

        Assert.That(Status(device).Kind, Is.EqualTo(UnixFileKind.CharacterDevice));
        Assert.That(Leftovers(), Is.Empty);
    }

    [Test]
    public async Task Write_Fifo_WritesThroughToTheReader()
    {
        LinuxTools.Require("mkfifo");
        string fifo = Path.Combine(_directory, "pipe");
        LinuxTools.Run("mkfifo", [fifo]).Succeeded();
        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));

        AtomicFile.Write(fifo, Content("rules\n"));

        Assert.That(await reader.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo("rules\n"));
        Assert.That(Status(fifo).Kind, Is.EqualTo(UnixFileKind.Fifo));
    }

    [Test]
    public void Write_SymbolicLinkChain_ReplacesTheFinalTargetAndKeepsTheLinks()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "etc"));
        string target = Path.Combine(_directory, "etc", "rules.nft");
        File.WriteAllText(target, "old");
        string inner = Path.Combine(_directory, "current");
        File.CreateSymbolicLink(inner, Path.Combine("etc", "rules.nft")); // relative, as ln -s makes them
        string outer = Path.Combine(_directory, "rules");
        File.CreateSymbolicLink(outer, inner);

        AtomicFile.Write(outer, Content("new"));

        Assert.That(new FileInfo(outer).LinkTarget, Is.EqualTo(inner));
        Assert.That(new FileInfo(inner).LinkTarget, Is.EqualTo(Path.Combine("etc", "rules.nft")));
        Assert.That(File.ReadAllText(target), Is.EqualTo("new"));
        Assert.That(Leftovers(), Is.Empty);
    }

    [Test]
    public void Write_DanglingSymbolicLink_CreatesItsTarget()
    {
        string target = Path.Combine(_directory, "made.txt");
        string link = Path.Combine(_directory, "link");
        File.CreateSymbolicLink(link, target);

        AtomicFile.Write(link, Content("new"));

        Assert.That(File.ReadAllText(target), Is.EqualTo("new"));
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
    }

    [Test]
    public void Write_HardLinkedFile_IsRefusedBeforeAnythingIsWritten_AndEveryNameKeepsItsContent()
    {
        // Copied into, a reader of either name would see it half written, and a full disk would leave it cut short; renamed over,
        // the other name would keep the old rules without a word.
        LinuxTools.Require("ln");
        string first = Path.Combine(_directory, "a");
        string second = Path.Combine(_directory, "b");
        File.WriteAllText(first, "old content, longer than the new");
        LinuxTools.Run("ln", [first, second]).Succeeded();

        Assert.That(() => AtomicFile.Write(first, Content("new")), Throws.TypeOf<IOException>().With.Message.EqualTo(
            $"{first} has 2 hard links: fwrules replaces a file whole by rename, which would leave the other link with the old content; " +
                "remove it, or make it a symbolic link to this file (ln -sf)"));
        Assert.That((File.ReadAllText(first), File.ReadAllText(second)), Is.EqualTo(("old content, longer than the new", "old content, longer than the new")));
        Assert.That(Status(first).Links, Is.EqualTo(2));
        Assert.That(Leftovers(), Is.Empty);
    }

    [Test]
    public void Write_PrivateFileOfAnotherOwner_KeepsOwnerGroupAndMode()
    {
        LinuxTools.Require("chown");
        string path = Path.Combine(_directory, "secret");
        File.WriteAllText(path, "old");
        LinuxTools.Run("chown", ["65534:65534", path]).Succeeded();
        File.SetUnixFileMode(path, Private);

        AtomicFile.Write(path, Content("new"));

        UnixFileStatus status = Status(path);
        Assert.That((status.Owner, status.Group, status.Permissions), Is.EqualTo((65534u, 65534u, Private)));
        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
    }

    [Test]
    public void Write_NewFile_IsNotWritableByOthersNorExecutable()
    {
        string path = Path.Combine(_directory, "new.txt");

        AtomicFile.Write(path, Content("new"));

        Assert.That(File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead), Is.EqualTo((UnixFileMode)0));
    }

    [Test]
    public void Write_Directory_IsRefusedAndLeftAlone()
    {
        Assert.That(() => AtomicFile.Write(_directory, Content("x")), Throws.TypeOf<IOException>().With.Message.EqualTo($"{_directory} is a directory"));
        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    public void Write_BlockDevice_IsRefusedWithoutOpeningIt()
    {
        LinuxTools.Require("mknod");
        string device = Path.Combine(_directory, "disk");
        LinuxTools.Run("mknod", [device, "b", "7", "200"]).Succeeded(); // a loop device number nothing uses

        Assert.That(() => AtomicFile.Write(device, Content("x")), Throws.TypeOf<IOException>().With.Message.Contains("is a block device"));
        Assert.That(Status(device).Kind, Is.EqualTo(UnixFileKind.BlockDevice));
    }

    [Test]
    public void Write_FailingContent_LeavesTheOldFileAndNoTemporary()
    {
        string path = Path.Combine(_directory, "rules");
        File.WriteAllText(path, "last good");

        Assert.That(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidDataException("refused mid-way");
        }), Throws.TypeOf<InvalidDataException>());

        Assert.That(File.ReadAllText(path), Is.EqualTo("last good"));
        Assert.That(Leftovers(), Is.Empty);
    }

    [TestCase(16, false)]
    [TestCase(16, true)]
    [TestCase(200, false)]
    [TestCase(200, true)]
    public async Task Write_FullDisk_FailsAndLeavesTheOldFileAndNoTemporary(int kib, bool useAsync)
    {
        // A real 64 KiB tmpfs, all but 4 KiB taken by the old file and a filler: content under the 64 KiB buffer fails
        // only when flushed (and again when the stream closes), content over it while written.
        LinuxTools.Require("mount", "umount");
        string disk = Path.Combine(_directory, "disk");
        Directory.CreateDirectory(disk);
        LinuxTools.Run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]).Succeeded();
        try
        {
            string path = Path.Combine(disk, "state.json");
            File.WriteAllText(path, "last good");
            using (var filler = new FileStream(Path.Combine(disk, "filler"), FileMode.Create))
            {
                Assert.That(() => filler.Write(new byte[56 * 1024]), Throws.Nothing, "the filler fits");
            }

            byte[] content = new byte[kib * 1024];
            Task write = useAsync
                ? AtomicFile.WriteAsync(path, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), durable: true, CancellationToken.None)
                : Task.Run(() => AtomicFile.Write(path, stream => stream.Write(content)));

            Assert.That(async () => await write, Throws.InstanceOf<IOException>().With.Message.Contains("No space left"));
            Assert.That(File.ReadAllText(path), Is.EqualTo("last good"));
            Assert.That(Directory.GetFiles(disk, "*.tmp"), Is.Empty, "the temporary file is removed, not left to keep the disk full");
        }
        finally
        {
            LinuxTools.Run("umount", [disk]).Succeeded();
        }
    }

    [Test]
    public void Write_StaleTemporaryOfAKilledRun_IsRemovedAndALiveOneKept()
    {
        string path = Path.Combine(_directory, "rules");
        string stale = Path.Combine(_directory, ".rules.fwrules-00000000dead0000.tmp");
        string live = Path.Combine(_directory, ".rules.fwrules-00000000a11e0000.tmp");
        string other = Path.Combine(_directory, ".other.fwrules-00000000dead0000.tmp");
        File.WriteAllText(stale, "left by kill -9");
        File.WriteAllText(other, "another file's");
        // A run still writing holds its file locked.
        using var writing = new FileStream(live, FileMode.Create, FileAccess.Write, FileShare.None);

        AtomicFile.Write(path, Content("new"));

        Assert.That(File.Exists(stale), Is.False, "the killed run's file is gone");
        Assert.That(File.Exists(live), Is.True, "a live run's file is left to it");
        Assert.That(File.Exists(other), Is.True, "only the target's own temporaries are touched");
    }

    [Test]
    [NonParallelizable] // It removes the temporary file of every write under way in this process.
    public void RemoveUnfinished_MidWrite_LeavesTheTargetAsItWasAndNoTemporary()
    {
        string path = Path.Combine(_directory, "rules");
        File.WriteAllText(path, "old");
        using (FileReplacement file = FileReplacement.Begin(path, useAsync: false))
        {
            file.Stream.Write("new, half written"u8);
            file.Stream.Flush();
            Assert.That(Leftovers(), Has.Length.EqualTo(1));

            FileReplacement.RemoveUnfinished();

            Assert.That(Leftovers(), Is.Empty);
            Assert.That(() => file.Commit(durable: false), Throws.InstanceOf<IOException>(), "a write that goes on fails");
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Leftovers(), Is.Empty);
    }

    private static Action<Stream> Content(string text) => stream => stream.Write(Encoding.UTF8.GetBytes(text));

    private static UnixFileStatus Status(string path) => UnixFileStatus.Read(path) ?? throw new AssertionException($"{path} is missing");

    private string[] Leftovers() => Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories);
}
