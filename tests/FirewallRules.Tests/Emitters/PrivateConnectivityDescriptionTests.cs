using FirewallRules.Emitters;
using FirewallRules.Emitters.Azure;
using FirewallRules.Emitters.Gcp;
using FirewallRules.PrivateLink;

namespace FirewallRules.Tests.Emitters;

/// <summary>Each kind of private connectivity is described by its cloud's folder: its formats, its settings and its rendering.</summary>
[TestFixture]
public class PrivateConnectivityDescriptionTests
{
    [TestCase(PrivateConnectivityKind.AwsPrivateLink, new[] { "aws-cloudformation", "terraform" }, new[] { "aws-cloudformation", "aws-sg", "terraform" })]
    [TestCase(PrivateConnectivityKind.AzurePrivateLink, new[] { "terraform", "azure-arm", "bicep" }, new[] { "terraform", "azure-arm", "azure-nsg", "bicep" })]
    [TestCase(PrivateConnectivityKind.GcpPrivateServiceConnect, new[] { "terraform", "gcp-firewall" }, new[] { "terraform", "gcp-firewall", "terraform-gcp" })]
    public void Description_NamesTheWholePlanFormatsThenEveryFormatOfTheKind(PrivateConnectivityKind kind, string[] wholePlan, string[] every)
    {
        PrivateConnectivityDescription description = EmitterRegistry.DescribePrivateConnectivity(kind);

        Assert.That(description.WholePlanFormats, Is.EqualTo(wholePlan));
        Assert.That(description.FormatsIn(EmitterRegistry.Default), Is.EqualTo(every));
    }

    [TestCase(PrivateConnectivityKind.AwsPrivateLink, new[] { "PrivateLinkOptions.AgentNetworks", "PrivateLinkOptions.EndpointSubnets" })]
    [TestCase(PrivateConnectivityKind.AzurePrivateLink, new[] { "AzurePrivateLinkOptions.AgentNetworks" })]
    [TestCase(PrivateConnectivityKind.GcpPrivateServiceConnect, new[] { "PrivateServiceConnectOptions.EndpointSubnets" })]
    public void Description_NamesTheNetworksThePlanRequires(PrivateConnectivityKind kind, string[] required)
    {
        Assert.That(EmitterRegistry.DescribePrivateConnectivity(kind).Requires, Is.EqualTo(required));
    }

    [Test]
    public void Render_GoogleCloud_TakesItsFirewallSettingsAndWritesTheChosenWholePlanFormat()
    {
        PrivateConnectivityDescription psc = EmitterRegistry.DescribePrivateConnectivity(PrivateConnectivityKind.GcpPrivateServiceConnect);
        FormatSetting network = psc.Settings.Single(s => s.Name == "GcpFirewallOptions.Network");
        var request = new PrivateConnectivityRequest("gcp-firewall", Site.EU1, "dd-psc", Comments: true)
        {
            EndpointSubnets = PrefixSet.Parse("10.20.0.0/24"),
            Settings = new SettingValues([new(network.Name, "prod")]),
        };

        (string text, string summary) = psc.Render(request, EmitterRegistry.Default);

        var plan = PrivateServiceConnectPlan.Create(new PrivateServiceConnectOptions { Site = Site.EU1, EndpointSubnets = PrefixSet.Parse("10.20.0.0/24") });
        Assert.That(text, Is.EqualTo(plan.ToGcloud(new GcpFirewallOptions { Name = "dd-psc", Network = "prod" })));
        Assert.That(summary, Does.StartWith("Private Service Connect in europe-west3: "));
    }

    [Test]
    public void Render_AzureNsg_WritesThePlansRulesWithTheEmitter()
    {
        PrivateConnectivityDescription azure = EmitterRegistry.DescribePrivateConnectivity(PrivateConnectivityKind.AzurePrivateLink);
        var request = new PrivateConnectivityRequest("azure-nsg", Site.US3, "dd-pl", Comments: false) { AgentNetworks = PrefixSet.Parse("10.0.0.0/16") };

        (string text, _) = azure.Render(request, EmitterRegistry.Default);

        var plan = AzurePrivateLinkPlan.Create(new AzurePrivateLinkOptions { Site = Site.US3, AgentNetworks = PrefixSet.Parse("10.0.0.0/16") });
        Assert.That(text, Is.EqualTo(plan.Rules.ToAzureCli(new AzureNsgOptions { Name = "dd-pl", Comments = false })));
    }
}
