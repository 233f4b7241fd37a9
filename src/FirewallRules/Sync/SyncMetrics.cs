using System.Diagnostics.Metrics;

namespace FirewallRules.Sync;

/// <summary>
/// Sync runs and applies, counted on the library's <c>FirewallRules</c> meter (the meter the mirror's instruments
/// belong to), so any <see cref="MeterListener"/>-based exporter (OpenTelemetry, <c>dotnet-counters</c>) sees them:
/// <list type="bullet">
/// <item><c>fwrules.syncs</c> ({sync}): runs ended, by <c>target</c> (<c>host</c> for the host's firewall, <c>aws</c>
/// for an account's prefix lists) and <c>result</c> (<c>up_to_date</c>, <c>applied</c>, <c>would_apply</c> for a dry
/// run that would change something, <c>failed</c> for a run that ended with an error or was cancelled).</item>
/// <item><c>fwrules.applies</c> ({apply}): rule sets applied, by <c>target</c>: loaded into the host's firewall, or an
/// account's prefix lists created, changed or deleted.</item>
/// </list>
/// </summary>
/// <remarks>The meter is created the first time a sync runs, so commands that do not sync pay nothing for it. Thread-safe.</remarks>
internal static class SyncMetrics
{
    /// <summary>The meter's name: the library's.</summary>
    public const string MeterName = "FirewallRules";

    /// <summary>The <c>target</c> of a sync of the host's firewall.</summary>
    public const string Host = "host";

    /// <summary>The <c>target</c> of a sync of an AWS account's prefix lists.</summary>
    public const string Aws = "aws";

    private static readonly Meter Meter = new(MeterName, typeof(SyncMetrics).Assembly.GetName().Version?.ToString(3));

    private static readonly Counter<long> Syncs = Meter.CreateCounter<long>("fwrules.syncs", "{sync}",
        "Sync runs ended, by target (host, aws) and result (up_to_date, applied, would_apply, failed).");

    private static readonly Counter<long> Applies = Meter.CreateCounter<long>("fwrules.applies", "{apply}",
        "Rule sets applied, by target: loaded into the host's firewall (host), or an account's prefix lists changed (aws).");

    /// <summary>Starts counting one run of <paramref name="target"/>: it counts as failed unless completed before it is disposed.</summary>
    public static SyncRun Start(string target) => new(target);

    /// <summary>Counts one apply to <paramref name="target"/>.</summary>
    public static void Applied(string target) => Applies.Add(1, new KeyValuePair<string, object?>("target", target));

    /// <summary>One run being counted.</summary>
    internal sealed class SyncRun(string target) : IDisposable
    {
        private string? _result;

        /// <summary>The host sync ended with <paramref name="report"/>; returns it.</summary>
        public SyncReport Completed(SyncReport report)
        {
            _result = report.Outcome switch
            {
                SyncOutcome.UpToDate => "up_to_date",
                SyncOutcome.Applied => "applied",
                _ => "would_apply",
            };
            return report;
        }

        /// <summary>
        /// A run that <paramref name="changed"/> something (or in a dry run would have) ended with <paramref name="report"/>;
        /// returns it. A change made (not a dry run) counts as one apply.
        /// </summary>
        public T Completed<T>(T report, bool changed, bool dryRun)
        {
            _result = !changed ? "up_to_date" : dryRun ? "would_apply" : "applied";
            if (changed && !dryRun)
            {
                Applied(target);
            }

            return report;
        }

        public void Dispose() => Syncs.Add(1, new KeyValuePair<string, object?>("target", target), new KeyValuePair<string, object?>("result", _result ?? "failed"));
    }
}
