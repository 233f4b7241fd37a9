namespace FirewallRules.AgentConfig;

/// <summary>
/// Where the Observability Pipelines Worker's settings send each track (<see cref="ObservabilityPipelines"/> says what moves and what stays).
/// </summary>
internal static class WorkerRoutes
{
    private const string Worker = ObservabilityPipelines.Worker;

    /// <summary>
    /// The setting that sends <paramref name="track"/> (metrics, logs, traces) to a worker, when the track is on: its URL key
    /// and value (null value: the URL is empty).
    /// </summary>
    public static (string Key, string? Url)? For(AgentSettings settings, string track)
    {
        bool worker = settings.Bool($"{Worker}.{track}.enabled", false);
        bool vector = settings.Bool($"vector.{track}.enabled", false);
        if (!worker && !vector)
        {
            return null;
        }

        // Logs take the worker's URL, else vector's, whichever prefix turned them on; metrics and traces the URL of the prefix that did.
        string prefix = track == "logs" && settings.Text($"{Worker}.logs.url") is not { Length: > 0 } && settings.Text("vector.logs.url") is { Length: > 0 }
            ? "vector"
            : track == "logs" && settings.Text($"{Worker}.logs.url") is { Length: > 0 } ? Worker : worker ? Worker : "vector";
        string key = $"{prefix}.{track}.url";
        return (key, settings.Text(key) is { Length: > 0 } url ? url : null);
    }

    /// <summary>Whether logs also go to Datadog's intake beside the worker (<c>dual_ship</c>, newer agents).</summary>
    public static bool LogsDualShip(AgentSettings settings) =>
        settings.Bool($"{Worker}.logs.dual_ship", false) || settings.Bool("vector.logs.dual_ship", false);

    /// <summary>The worker's destination for a track, its host and port as the URL names them.</summary>
    public static AgentDestination Destination(AgentSettings settings, string feature, string key, string url, string what)
    {
        (string host, int? port) = UrlSetting.Require(settings.Find(key)!, url, "a URL such as http://opw.internal:8282");
        return Placement.Of(feature, host, DestinationPlanner.Tcp(port), $"{what}, to the Observability Pipelines Worker ({key})", IntakeHosts.SchemeOf(url));
    }

    /// <summary>Metrics: the worker beside the metrics intake, which keeps everything but series and sketches.</summary>
    public static void Metrics(AgentSettings settings, IReadOnlyList<AgentDestination> planned, Action<AgentDestination> add, PlanNotes notes)
    {
        if (For(settings, "metrics") is not (string key, var url))
        {
            return;
        }

        string intake = planned.First(d => d.Feature == "metrics").HostName;
        if (url is null)
        {
            notes.Add($"{key} is empty though its track is on: the agent logs an error and sends metrics to {intake} as planned.");
            return;
        }

        AgentDestination worker = Destination(settings, "metrics", key, url, "metrics series and sketches");
        add(worker);
        notes.Add($"Observability Pipelines Worker: metrics series and sketches go to {worker.HostName} ({worker.Port}, {key}); the agent still sends " +
            $"metadata, check runs, events and flares to {intake}, which stays planned (NewDomainResolverWithMetricToVector moves only series and sketches).");
    }
}
