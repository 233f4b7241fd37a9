namespace FirewallRules.Fetching;

/// <summary>The server redirected where <see cref="TransportPolicy"/> does not go; asking again would be redirected again.</summary>
internal sealed class RedirectRefusedException(string message) : HttpRequestException(message);
