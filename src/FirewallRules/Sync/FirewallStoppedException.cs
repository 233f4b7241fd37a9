namespace FirewallRules.Sync;

/// <summary>
/// A sync was stopped (SIGTERM, SIGINT), or one of its tools killed, while it applied, and the kernel, read back, does not
/// hold the new rules whole: the message says what it holds (the rules held before, or neither: then the next run repairs).
/// The state was left as it was.
/// </summary>
/// <param name="cause">Why the apply ended when a tool was killed (e.g. <c>nft -f was killed by SIGTERM ...</c>); null when the run itself was stopped between two calls.</param>
/// <param name="message">What the kernel holds, read back.</param>
internal sealed class FirewallStoppedException(string? cause, string message) : Exception(message)
{
    /// <summary>Why the apply ended, when a tool was killed; null when the run was stopped between two calls.</summary>
    public string? Cause { get; } = cause;
}
