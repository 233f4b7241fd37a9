namespace FirewallRules.Server;

/// <summary>A request the mirror cannot answer as asked: its status and a one-line reason for the client.</summary>
internal sealed class RequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
