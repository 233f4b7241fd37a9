using FirewallRules.Aws;
using FirewallRules.Sync;

namespace FirewallRules.Cli.Commands;

/// <summary>An account sync run's change: the lists and groups applied and read back until settled, and the groups it keeps.</summary>
internal sealed partial class AwsAccountSync
{
    /// <summary>The groups this runner's state names as kept by its last run; none when it has no usable state (the removal needs none).</summary>
    private List<string> KnownGroups(string directory)
    {
        try
        {
            return new SyncStateFile(directory).Read(settings.Site).Groups ?? [];
        }
        catch (FirewallSyncException)
        {
            return [];
        }
    }

    /// <summary><see cref="Warn"/>, each line once per run (the groups are read several times).</summary>
    private Action<string> Once()
    {
        var said = new HashSet<string>(StringComparer.Ordinal);
        return line =>
        {
            if (said.Add(line))
            {
                Warn?.Invoke(line);
            }
        };
    }

    /// <summary>The run's warnings, each line once.</summary>
    private Action<string> Warned => _warned ??= Once();

    private Action<string>? _warned;

    /// <summary>The groups' options of this run: <see cref="Groups"/> with the groups resolved once, before any change (<see cref="AwsGroupGrace.ResolveAsync"/>).</summary>
    private AwsSecurityGroupSyncOptions? _groups;

    /// <summary>
    /// The lists, then the groups (with groups, every group is read and planned against the lists as they will be before
    /// anything changes: an unknown group or one over its quota fails the run untouched; lists no longer needed are
    /// deleted last, once no rule references them). Then the account is read back and planned again: another run at once
    /// (two creating the same split list, one revoking the other's references) leaves something to do, and the change is
    /// made again until nothing is left, so a run that succeeds has seen the account hold what it should.
    /// </summary>
    private async Task<(AwsPrefixListReport Lists, AwsSecurityGroupReport? Groups)> ApplyAsync(long version, RuleSet rules, Progress progress, CancellationToken cancellationToken)
    {
        AwsPrefixListReport planned;
        AwsSecurityGroupReport? plan;
        if (Groups is not null || DryRun)
        {
            (planned, plan) = await PlanAsync(version, rules, cancellationToken).ConfigureAwait(false);
            if (plan is { Groups.Count: 0 })
            {
                throw new AwsSyncException($"no security group to keep: none was given, and no group references the prefix lists of {settings.ListName}, " +
                    $"is named by this runner's state or carries a whole seal of its rules ({GroupSeal.Key(settings.ListName)}); nothing was changed");
            }

            if (DryRun)
            {
                return (planned, plan);
            }

            progress.Groups = plan;
        }

        var done = new List<(AwsPrefixListReport Lists, AwsSecurityGroupReport? Groups)>();
        var left = new List<string>();
        bool otherWriter = false;
        for (int attempt = 1; ; attempt++)
        {
            done.Add(await ApplyOnceAsync(version, rules, cancellationToken).ConfigureAwait(false));
            (planned, plan) = await PlanAsync(version, rules, cancellationToken).ConfigureAwait(false);
            if (planned.UpToDate && plan is null or { UpToDate: true })
            {
                return SettledReport.AddUp(done);
            }

            left.Add(UnsettledAccount.Describe(planned, plan));
            otherWriter |= UnsettledAccount.OtherWriter(done[^1].Lists, planned);
            if (attempt >= SettleAttempts)
            {
                throw new AwsSyncException(UnsettledAccount.Message(settings.ListName, Groups is not null, left, otherWriter, UnsettledAccount.Resizes(planned)));
            }

            // Runs that met stay apart on the next read: a pause that grows, with some jitter.
            await Task.Delay(TimeSpan.FromMilliseconds((300 * attempt) + Random.Shared.Next(400)), cancellationToken).ConfigureAwait(false);
        }
    }

    private AwsPrefixListSync Lists(long version, bool dryRun) => new(ec2, new AwsPrefixListOptions
    {
        Name = settings.ListName,
        DocumentVersion = version,
        DryRun = dryRun,
        MaxEntriesPerList = MaxEntriesPerList,
        DeferDeletes = Groups is not null,
        Format = Format,
    });

    /// <summary>What is left to do, read from the account: the lists' plan, and with groups the groups' plan against it.</summary>
    private async Task<(AwsPrefixListReport Lists, AwsSecurityGroupReport? Groups)> PlanAsync(long version, RuleSet rules, CancellationToken cancellationToken)
    {
        var none = new AwsPrefixListReport([], 1);
        AwsPrefixListReport planned = Groups is not null && CidrRules ? none
            : await Lists(version, dryRun: true).SyncAsync(rules.Prefixes, settings.Families, cancellationToken).ConfigureAwait(false);
        return Groups is null
            ? (planned, null)
            : (planned, await new AwsSecurityGroupSync(ec2, (_groups ?? Groups) with { DryRun = true })
                .SyncAsync(rules.ForFamilies(settings.Families), CidrRules ? null : planned.Lists, cancellationToken).ConfigureAwait(false));
    }

    private async Task<(AwsPrefixListReport Lists, AwsSecurityGroupReport? Groups)> ApplyOnceAsync(long version, RuleSet rules, CancellationToken cancellationToken)
    {
        if (Groups is null)
        {
            return (await Lists(version, dryRun: false).SyncAsync(rules.Prefixes, settings.Families, cancellationToken).ConfigureAwait(false), null);
        }

        AwsPrefixListSync lists = Lists(version, dryRun: false);
        AwsPrefixListReport applied = CidrRules ? new AwsPrefixListReport([], 1)
            : await lists.SyncAsync(rules.Prefixes, settings.Families, cancellationToken).ConfigureAwait(false);
        AwsSecurityGroupReport groups = await new AwsSecurityGroupSync(ec2, _groups ?? Groups)
            .SyncAsync(rules.ForFamilies(settings.Families), CidrRules ? null : applied.Lists, cancellationToken).ConfigureAwait(false);
        await lists.DeleteAsync(applied.Lists, cancellationToken).ConfigureAwait(false);
        return (applied, groups);
    }
}
