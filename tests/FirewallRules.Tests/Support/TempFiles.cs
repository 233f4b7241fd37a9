namespace FirewallRules.Tests.Support;

/// <summary>A temporary folder for outputs handed to external tools, deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fwrules-out-");

    /// <summary>The folder itself.</summary>
    public string DirectoryPath => _directory.FullName;

    /// <summary>Writes a file at <paramref name="name"/>, a path relative to the folder (its folders are created), and returns its full path.</summary>
    public string Write(string name, string content)
    {
        string path = Path.Combine(_directory.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
