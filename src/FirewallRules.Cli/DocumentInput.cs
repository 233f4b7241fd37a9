using System.CommandLine;
using FirewallRules.Ranges;

namespace FirewallRules.Cli;

/// <summary>Reads a saved ip-ranges document named on the command line, reporting problems with the file's name.</summary>
internal static class DocumentInput
{
    /// <exception cref="CliException">The file cannot be read or is not a valid document (exit 1).</exception>
    public static IpRangesDocument Load(string path, Site? site = null)
    {
        try
        {
            return IpRangesDocument.Load(path, site);
        }
        catch (IpRangesFormatException ex)
        {
            throw new CliException($"{path}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.CannotRead(path, ex);
        }
    }

    /// <summary>An argument naming a document file.</summary>
    public static Argument<string> FileArgument(string name, string description) =>
        new Argument<string>(name) { Description = description }.RejectingOptionLikeValues().NamingA("file");
}
