using System.Net;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// An address list (the plain list, Capirca's and Aerleon's network definitions, expanded by their own readers): it holds addresses
/// and nothing else, so what a policy built on it admits is decided by the policy's own direction and ports. An address is admitted
/// when a listed prefix holds it; every address of every network the file defines counts (the site's group and each section's).
/// </summary>
internal sealed class ListAdmission(IReadOnlyList<string> prefixes) : Admission
{
    private readonly IPNetwork2[] _prefixes = [.. prefixes.Select(Net.Parse)];

    public override bool AddressOnly => true;

    public override bool Admits(Packet packet) => Net.Any(_prefixes, packet.Remote);

    public override bool Platform(Packet packet) => false;

    /// <summary>The prefixes of a plain list: one a line, <c>#</c> comments and blank lines skipped.</summary>
    public static IReadOnlyList<string> FromPlainList(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
}
