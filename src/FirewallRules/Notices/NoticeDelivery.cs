namespace FirewallRules.Notices;

/// <summary>What one delivery run did: how many notices went out, how many are still kept, and why the first kept one failed.</summary>
/// <param name="Delivered">Notices the receiver accepted; their files are gone.</param>
/// <param name="Kept">Notices still in the outbox, sent by the next run.</param>
/// <param name="Failure">Why delivery stopped; null when every notice went out.</param>
internal sealed record NoticeDelivery(int Delivered, int Kept, string? Failure);
