using FirewallRules.Emitters;

namespace FirewallRules.Cli.Commands;

/// <summary>What one <c>privatelink</c> run was asked to do, however the command line spelled it.</summary>
/// <param name="Registry">The formats to render in.</param>
/// <param name="Rendering">The rendering, as the site's kind of private connectivity takes it.</param>
/// <param name="Output">The file to write; null: standard output.</param>
/// <param name="Quiet">Whether to leave out the summary.</param>
internal sealed record PrivateLinkRequest(EmitterRegistry Registry, PrivateConnectivityRequest Rendering, string? Output, bool Quiet);
