namespace FirewallRules.Server;

/// <summary>How a fetch ended.</summary>
/// <param name="Result">Its result.</param>
/// <param name="At">When it ended.</param>
/// <param name="Detail">What happened, in a sentence.</param>
internal sealed record FetchOutcome(FetchResult Result, DateTimeOffset At, string Detail);
