using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Helm values of the wrong shape, at every kind of key the reader reads: a map given as a value (<c>datadog: eu1</c>), a
/// value given as a list (<c>datadog.site: [datadoghq.eu]</c>), a list given as a map (<c>datadog.env</c> as
/// <c>{DD_SITE: ...}</c>), a map given as a list (<c>agents.customAgentConfig</c>), and entries of the wrong shape inside a
/// list. Each was dropped, and the plan went on with the chart's defaults (exit 0); each is now refused in one line naming
/// the file, the line, the key and the shape the chart wants, as a wrong single value already was.
/// </summary>
[TestFixture]
public sealed class HelmValuesShapeTests
{
    private static AgentConfigurationException Refused(string helm) =>
        Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(null, null, helm, TestAgent.Version))!;

    [TestCase("datadog: datadoghq.eu\n", "values.yaml:1: datadog: must be a map, not 'datadoghq.eu'")]
    [TestCase("clusterAgent: true\n", "values.yaml:1: clusterAgent: must be a map, not 'true'")]
    [TestCase("providers:\n  gke: [autopilot]\n", "values.yaml:2: providers.gke: must be a map, not a list")]
    [TestCase("datadog:\n  otlp:\n    receiver:\n      protocols:\n        grpc: true\n",
        "values.yaml:5: datadog.otlp.receiver.protocols.grpc: must be a map, not 'true'")]
    [TestCase("agents:\n  containers:\n    agent: [env]\n", "values.yaml:3: agents.containers.agent: must be a map, not a list")]
    public void ValueWhereTheChartWantsAMap_IsRefused(string helm, string message) =>
        Assert.That(Refused(helm).Message, Is.EqualTo(message));

    [TestCase("datadog:\n  site: [datadoghq.eu]\n", "values.yaml:2: datadog.site: must be a single value, not a list")]
    [TestCase("datadog:\n  logs:\n    enabled: {on: true}\n", "values.yaml:3: datadog.logs.enabled: must be a single value, not a map")]
    [TestCase("agents:\n  image:\n    tag: [7.60.0]\n", "values.yaml:3: agents.image.tag: must be a single value, not a list")]
    [TestCase("existingClusterAgent:\n  join: [true]\n", "values.yaml:2: existingClusterAgent.join: must be a single value, not a list")]
    [TestCase("datadog:\n  apm:\n    portEnabled: [true]\n", "values.yaml:3: datadog.apm.portEnabled: must be a single value, not a list")]
    [TestCase("operator:\n  site: [datadoghq.eu]\n", "values.yaml:2: operator.site: must be a single value, not a list")]
    [TestCase("fullnameOverride: [dd]\n", "values.yaml:1: fullnameOverride: must be a single value, not a list")]
    public void ListOrMapWhereTheChartWantsOneValue_IsRefused(string helm, string message) =>
        Assert.That(Refused(helm).Message, Is.EqualTo(message));

    [TestCase("datadog:\n  env:\n    DD_SITE: datadoghq.eu\n", "values.yaml:3: datadog.env: must be a list of name and value entries, not a map")]
    [TestCase("datadog:\n  env: DD_SITE=datadoghq.eu\n",
        "values.yaml:2: datadog.env: must be a list of name and value entries, not 'DD_SITE=datadoghq.eu'")]
    [TestCase("agents:\n  containers:\n    agent:\n      env: {DD_SITE: datadoghq.eu}\n",
        "values.yaml:4: agents.containers.agent.env: must be a list of name and value entries, not a map")]
    [TestCase("datadog:\n  envFrom:\n    configMapRef: {name: dd}\n", "values.yaml:3: datadog.envFrom: must be a list of configMapRef and secretRef entries, not a map")]
    [TestCase("datadog:\n  otelCollector:\n    enabled: true\n    ports: {otlp: 4317}\n",
        "values.yaml:4: datadog.otelCollector.ports: must be a list of containerPort entries, not a map")]
    public void MapOrValueWhereTheChartWantsAList_IsRefused(string helm, string message) =>
        Assert.That(Refused(helm).Message, Is.EqualTo(message));

    [TestCase("datadog:\n  envDict: [DD_SITE]\n", "values.yaml:2: datadog.envDict: must be a map, not a list")]
    [TestCase("agents:\n  useConfigMap: true\n  customAgentConfig:\n    - site: datadoghq.eu\n",
        "values.yaml:4: agents.customAgentConfig: must be a map (the agents' datadog.yaml), not a list")]
    [TestCase("agents:\n  customAgentConfig: site=datadoghq.eu\n",
        "values.yaml:2: agents.customAgentConfig: must be a map (the agents' datadog.yaml), not 'site=datadoghq.eu'")]
    [TestCase("agents:\n  podLabels: [app]\n", "values.yaml:2: agents.podLabels: must be a map, not a list")]
    [TestCase("agents:\n  containers: [agent]\n", "values.yaml:2: agents.containers: must be a map, not a list")]
    public void ListOrValueWhereTheChartWantsAMap_IsRefused(string helm, string message) =>
        Assert.That(Refused(helm).Message, Is.EqualTo(message));

    [TestCase("datadog:\n  env:\n    - DD_SITE=datadoghq.eu\n", "values.yaml:3: datadog.env[0]: must be a map of name and value, not 'DD_SITE=datadoghq.eu'")]
    [TestCase("datadog:\n  env:\n    - name: DD_LOGS_ENABLED\n      value: \"true\"\n    - [DD_SITE, datadoghq.eu]\n",
        "values.yaml:5: datadog.env[1]: must be a map of name and value, not a list")]
    [TestCase("datadog:\n  env:\n    - name: [DD_SITE]\n      value: datadoghq.eu\n", "values.yaml:3: datadog.env[0].name: must be a single value, not a list")]
    [TestCase("datadog:\n  env:\n    - name: DD_SITE\n      value: [datadoghq.eu]\n", "values.yaml:4: datadog.env[0].value: must be a single value, not a list")]
    [TestCase("datadog:\n  envDict:\n    DD_SITE: [datadoghq.eu]\n",
        "values.yaml:3: datadog.envDict.DD_SITE: must be a single value (or a valueFrom map), not a list")]
    [TestCase("datadog:\n  envFrom:\n    - dd-config\n", "values.yaml:3: datadog.envFrom[0]: must be a map (configMapRef or secretRef), not 'dd-config'")]
    [TestCase("datadog:\n  otelCollector:\n    enabled: true\n    ports:\n      - 4317\n",
        "values.yaml:5: datadog.otelCollector.ports[0]: must be a map (containerPort, protocol), not '4317'")]
    public void EntryOfTheWrongShapeInAList_IsRefusedWithItsIndex(string helm, string message) =>
        Assert.That(Refused(helm).Message, Is.EqualTo(message));

    [TestCase("datadog:\n")]
    [TestCase("datadog: ~\nagents:\n  image:\n    tag: null\n")]
    [TestCase("datadog:\n  env: []\n  envDict: {}\nagents:\n  customAgentConfig: {}\n")]
    [TestCase("datadog:\n  env:\n")]
    public void NullOrEmpty_IsNoValue_AsHelmReadsIt(string helm)
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, helm, TestAgent.Version);

        Assert.That(plan.Site.Domain, Is.EqualTo("datadoghq.com"));
    }
}
