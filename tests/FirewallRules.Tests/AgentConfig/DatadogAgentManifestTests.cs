using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// DatadogAgent manifests (the Datadog Operator's <c>datadoghq.com/v2alpha1</c> resource) read as the Operator deploys them, from a file
/// or a stream; a Kubernetes manifest given where another file is expected is refused in one line naming what it is.
/// </summary>
[TestFixture]
public class DatadogAgentManifestTests
{
    private const string Minimal = """
        apiVersion: datadoghq.com/v2alpha1
        kind: DatadogAgent
        metadata:
          name: datadog
        spec:
          global:
            credentials:
              apiKey: 0123456789abcdef0123456789abcdef
        """;

    private static AgentPlan Read(string manifest) => AgentConfiguration.Parse(null, datadogAgent: manifest);

    [Test]
    public void Manifest_GivenAsHelmValues_IsRefusedNamingIt_NotPlannedAsTheChartsDefaults()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(null, null, Minimal))!;

        Assert.That(error.Message, Does.StartWith("values.yaml: is a Kubernetes manifest of a DatadogAgent (apiVersion datadoghq.com/v2alpha1)")
            .And.EndWith("give it with AgentConfigurationSources.DatadogAgentFile"));
        Assert.That(error.Message, Does.Not.Contain("0123456789abcdef"), "credentials are never echoed");
    }

    [Test]
    public void Manifest_GivenAsDatadogYaml_OrAsTheEnvironment_IsRefusedNamingIt()
    {
        Assert.That(() => AgentConfiguration.Parse(Minimal), Throws.TypeOf<AgentConfigurationException>()
            .With.Message.StartsWith("datadog.yaml: is a Kubernetes manifest of a DatadogAgent"));
        Assert.That(() => AgentConfiguration.Parse(null, Minimal), Throws.TypeOf<AgentConfigurationException>()
            .With.Message.StartsWith("environment: is a Kubernetes manifest of a DatadogAgent"));
    }

    [TestCase("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n", "a Kubernetes manifest of a ConfigMap (apiVersion v1)")]
    [TestCase("apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: datadog\n", "a Kubernetes manifest of a DaemonSet (apiVersion apps/v1)")]
    public void OtherKind_GivenToAnyOption_IsRefusedInOneLineNamingIt(string manifest, string what)
    {
        foreach (Func<AgentPlan> read in new Func<AgentPlan>[]
        {
            () => AgentConfiguration.Parse(manifest), () => AgentConfiguration.Parse(null, null, manifest), () => Read(manifest),
        })
        {
            var error = Assert.Throws<AgentConfigurationException>(() => read())!;
            Assert.That(error.Message, Does.Contain(what).And.Not.Contain("\n"));
        }
    }

    [Test]
    public void V1alpha1_IsRefused_SayingTheOperatorNoLongerReadsIt()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => Read(Minimal.Replace("v2alpha1", "v1alpha1", StringComparison.Ordinal)))!;

        Assert.That(error.Message, Does.Contain("datadoghq.com/v1alpha1 DatadogAgent, which the Operator no longer reads").And.Contain("convert it"));
    }

    [Test]
    public void KubectlList_AndAStreamWithOtherObjects_AreRead()
    {
        string list = "apiVersion: v1\nkind: List\nitems:\n- " + Minimal.Replace("\n", "\n  ", StringComparison.Ordinal);
        string stream = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: datadog\n---\n{Minimal}\n---\n";

        Assert.That(Read(list).IsKubernetes, Is.True);
        Assert.That(Read(stream).Destinations.Select(d => d.HostName), Does.Contain("the node's kubelet (status.hostIP)"));
    }

    [Test]
    public void Global_SiteEndpointProxyAndImage_AreTheAgents()
    {
        AgentPlan plan = Read(Minimal + "\n    site: datadoghq.eu\n    endpoint:\n      url: https://relay.corp.example:8443\n    env:\n" +
            "      - name: DD_PROXY_HTTPS\n        value: http://proxy.corp.example:3128\n  override:\n    nodeAgent:\n      image:\n        tag: 7.64.2\n");

        Assert.That(plan.Site, Is.EqualTo(Site.EU1));
        Assert.That(plan.AgentVersion, Is.EqualTo("7.64.2"));
        Assert.That(plan.Destinations.Where(d => d.Feature.StartsWith("metrics", StringComparison.Ordinal)).Select(d => $"{d.HostName}:{d.Port.First}"),
            Is.EqualTo(new[] { "relay.corp.example:8443" }));
        Assert.That(plan.Proxy?.HostName, Is.EqualTo("proxy.corp.example"));
    }

    [Test]
    public void Feature_NotABoolean_IsRefusedAsTheKubernetesApiRefusesIt()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => Read(Minimal + "\n  features:\n    logCollection:\n      enabled: \"true\"\n"))!;

        Assert.That(error.Message, Does.Contain("spec.features.logCollection.enabled: must be true or false"));
    }

    [Test]
    public void Features_TurnOnWhatTheOperatorDeploys_AndOffWhatItDoesNot()
    {
        AgentPlan off = Read(Minimal + "\n  features:\n    apm:\n      enabled: false\n    remoteConfiguration:\n      enabled: false\n");
        AgentPlan on = Read(Minimal + "\n  features:\n    cws:\n      enabled: true\n    logCollection:\n      enabled: true\n");

        Assert.That(off.Destinations.Select(d => d.HostName), Has.None.StartsWith("trace.agent.").And.None.StartsWith("config."),
            "no trace-agent container, Remote Configuration off");
        Assert.That(off.Listeners.Select(l => l.Feature), Has.None.EqualTo("apm"));
        Assert.That(on.Destinations.Select(d => d.HostName), Does.Contain("runtime-security-http-intake.logs.datadoghq.com")
            .And.Contain("agent-http-intake.logs.datadoghq.com"));
        Assert.That(on.Listeners.Select(l => l.Feature), Does.Contain("security-cmd"), "the security agent runs for cws");
    }

    [Test]
    public void HostNetwork_IsSaidForThePolicyFormats()
    {
        AgentPlan plan = Read(Minimal + "\n  override:\n    nodeAgent:\n      hostNetwork: true\n");

        Assert.That(plan.Notes.Where(n => n.Kind == AgentNoteKind.HostNetwork), Has.One.Items);
    }

    private static string Image(string image) => Minimal + "\n  override:\n    nodeAgent:\n      image:\n" + image;

    [TestCase("        name: gcr.io/datadoghq/agent:7.64.2\n        tag: " + TestAgent.Version + "\n", "7.64.2")]
    [TestCase("        name: agent:7.60.1-jmx\n        tag: 7.52.0\n", "7.60.1")]
    [TestCase("        name: registry.corp.example:5000/datadoghq/agent\n        tag: 7.64.2\n", "7.64.2")]
    [TestCase("        name: gcr.io/datadoghq/agent:7.64.2\n", "7.64.2")]
    public void ImageName_WithATag_IsTheVersion_OverImageTag_AsTheOperatorAssemblesIt(string image, string version)
    {
        Assert.That(Read(Image(image)).AgentVersion, Is.EqualTo(version));
    }

    [Test]
    public void ImageName_PinnedByDigest_IsPlannedAsTheNewestKnownAgent_WithANote()
    {
        const string Digest = "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945";
        AgentPlan plan = Read(Image($"        name: gcr.io/datadoghq/agent@{Digest}\n        tag: 7.52.0\n"));

        Assert.That(plan.AgentVersion, Is.EqualTo(FirewallRules.Intakes.AgentVersions.NewestText));
        Assert.That(plan.Notes.Select(n => n.Text), Has.One.Contains("digest").And.Contains(FirewallRules.Intakes.AgentVersions.NewestText)
            .And.Contains("spec.override.nodeAgent.image.name"));
    }

    [Test]
    public async Task Namespace_OfTheManifest_IsThePolicies_UnlessOneIsGiven()
    {
        AgentPlan plan = Read(Minimal.Replace("  name: datadog\n", "  name: datadog\n  namespace: monitoring\n", StringComparison.Ordinal));
        AgentPlan none = Read(Minimal);

        Assert.That(plan.Namespace, Is.EqualTo("monitoring"));
        Assert.That(none.Namespace, Is.Null, "the namespace it is applied to, which the file does not say");
        Assert.That(await RenderAsync(plan, null), Does.Contain("  namespace: monitoring\n").And.Not.Contain("namespace: datadog\n"));
        Assert.That(await RenderAsync(none, null), Does.Contain("  namespace: datadog\n"), "the format's default");
        Assert.That(await RenderAsync(plan, new FirewallRules.Emitters.Kubernetes.KubernetesPolicyOptions { Namespace = "ops" }), Does.Contain("  namespace: ops\n")
            .And.Not.Contain("namespace: monitoring"));
    }

    // The Operator mounts customConfigurations' ConfigMap from the DatadogAgent's namespace: a rendered bundle holds it beside the manifest,
    // and its datadog.yaml moves the Agent's metrics (a relay) as an inline configData would; one of that name in another namespace is not it.
    [Test]
    public void CustomConfiguration_FromAConfigMapOfTheStream_InItsNamespace_IsTheAgentsDatadogYaml()
    {
        static string ConfigMap(string ns, string key, string host) =>
            $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dd-conf\n  namespace: {ns}\ndata:\n  {key}: |\n    dd_url: https://{host}:8443\n---\n";
        string agent = Minimal.Replace("  name: datadog\n", "  name: datadog\n  namespace: datadog\n", StringComparison.Ordinal) +
            "\n  override:\n    nodeAgent:\n      customConfigurations:\n        datadog.yaml:\n          configMap:\n            name: dd-conf\n";
        string Metrics(AgentPlan plan) => string.Join(",", plan.Destinations.Where(d => d.Feature.StartsWith("metrics", StringComparison.Ordinal)).Select(d => d.HostName));

        Assert.That(Metrics(Read(ConfigMap("datadog", "datadog.yaml", "relay.corp.example") + ConfigMap("other", "datadog.yaml", "elsewhere.example") + agent)),
            Is.EqualTo("relay.corp.example"));
        Assert.That(Metrics(Read(ConfigMap("datadog", "agent.yaml", "relay.corp.example") + agent.Replace("name: dd-conf\n",
            "name: dd-conf\n            items:\n            - key: agent.yaml\n              path: datadog.yaml\n", StringComparison.Ordinal))),
            Is.EqualTo("relay.corp.example"), "items mount another key as datadog.yaml");
        AgentPlan elsewhere = Read(ConfigMap("other", "datadog.yaml", "elsewhere.example") + agent);
        Assert.That(Metrics(elsewhere), Does.Not.Contain("elsewhere.example"));
        Assert.That(elsewhere.Notes.Select(n => n.Text), Has.One.Contains("from the ConfigMap dd-conf in the namespace datadog, which this file does not hold"));
        Assert.Throws<AgentConfigurationException>(() => Read(ConfigMap("datadog", "datadog.yaml", "127.0.0.1") + agent), "its values are refused as the file's");
    }

    private static async Task<string> RenderAsync(AgentPlan plan, FirewallRules.Emitters.EmitterOptions? options) =>
        (await AgentRendering.RenderAsync(plan, new AgentRenderRequest("kubernetes") { Options = options })).Render();
}
