using System.Net.Sockets;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// How the host campaign judges the kernel after a kill mid-apply (<see cref="HostCampaign.Unexplained"/>): each unit the
/// kernel swaps whole may be old or new, never a mixture. Each ipset is filled under a temporary name and swapped in whole,
/// so a kill cannot leave a set mixed: only a broken sync could, and no campaign run shows the judgement failing. These
/// cases hold it able to fail.
/// </summary>
[TestFixture]
public class HostCampaignJudgementTests
{
    // Two alternatives: [old, new]. A prefix the new version removes (admitted by the old only) and one it adds.
    private static readonly bool?[] Removed = [true, false], Added = [false, true];

    [Test]
    public void OneSet_HalfOldAndHalfNew_IsALapse()
    {
        // Both probes admitted: the removed prefix still there (old), the added one already there (new), in one set.
        (string, bool?[])[] probes = [("443/InterNetwork", Removed), ("443/InterNetwork", Added)];

        int[] wrong = HostCampaign.Unexplained(probes, [true, true], alternatives: 2);

        Assert.That(wrong, Has.Length.EqualTo(1), "a set holding both the removed and the added prefix matches neither version");
    }

    [Test]
    public void TwoSets_OneOldOneNew_IsNoLapse()
    {
        // A kill between two swaps: the 443 set swapped (new), the 10516 set not yet (old).
        (string, bool?[])[] probes =
            [("443/InterNetwork", Removed), ("443/InterNetwork", Added), ("10516/InterNetwork", Removed), ("10516/InterNetwork", Added)];

        int[] wrong = HostCampaign.Unexplained(probes, [false, true, true, false], alternatives: 2);

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void OneTable_OnePortOldOneNew_IsALapse()
    {
        // nftables replaces its table in one transaction: the same outcomes are a mixture there.
        (string, bool?[])[] probes = [("", Removed), ("", Added), ("", Removed), ("", Added)];

        int[] wrong = HostCampaign.Unexplained(probes, [false, true, true, false], alternatives: 2);

        Assert.That(wrong, Has.Length.EqualTo(2));
    }

    [Test]
    public void Units_AreTheTableForNftables_AndEachPortAndFamilyForIpset()
    {
        Assert.That(new[] { HostCampaign.Unit(true, true, 443, AddressFamily.InterNetwork), HostCampaign.Unit(true, true, 10516, AddressFamily.InterNetworkV6) },
            Is.All.Empty, "nftables replaces its table in one transaction");
        string[] sets = [HostCampaign.Unit(false, true, 443, AddressFamily.InterNetwork), HostCampaign.Unit(false, true, 443, AddressFamily.InterNetworkV6),
            HostCampaign.Unit(false, true, 10516, AddressFamily.InterNetwork)];
        Assert.That(sets, Is.Unique.And.None.Empty, "ipset swaps one set per port and family");
        Assert.That(HostCampaign.Unit(false, false, 8126, AddressFamily.InterNetwork), Is.Empty, "a probe of no allow-list");
    }

    [Test]
    public void AProbeNoAlternativeJudges_IsNeverWrong()
    {
        (string, bool?[])[] probes = [("", [null, null]), ("", Added)];

        int[] wrong = HostCampaign.Unexplained(probes, [true, true], alternatives: 2);

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void OneAlternative_EveryMismatch_IsALapse()
    {
        (string, bool?[])[] probes = [("", [true]), ("", [false]), ("", [true])];

        int[] wrong = HostCampaign.Unexplained(probes, [false, true, true], alternatives: 1);

        Assert.That(wrong, Is.EqualTo(new[] { 0, 1 }));
    }
}
