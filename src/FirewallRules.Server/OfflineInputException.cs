namespace FirewallRules.Server;

/// <summary>An input file of an offline mirror that cannot be read (<see cref="Invalid"/> false) or is not a valid document.</summary>
internal sealed class OfflineInputException(string message, bool invalid, Exception inner) : Exception(message, inner)
{
    /// <summary>Whether the file was read and is not a valid document.</summary>
    public bool Invalid { get; } = invalid;
}
