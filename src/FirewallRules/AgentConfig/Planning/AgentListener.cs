using FirewallRules.Rules;

namespace FirewallRules.AgentConfig;

/// <summary>A port the agent listens on, with the address it binds.</summary>
/// <param name="Feature">The feature, named as in <c>fwrules ports</c> where it is catalogued (<c>dogstatsd</c>, <c>apm</c>, <c>ipc</c>, <c>expvar</c>,
/// <c>gui</c>, <c>otlp-grpc</c>, <c>otlp-http</c>, <c>health</c>, <c>apm-debug</c>, <c>process-expvar</c>, <c>process-cmd</c>).</param>
/// <param name="Port">The port and its protocol.</param>
/// <param name="BindAddress">The address it binds: <c>localhost</c>, <c>127.0.0.1</c>, or <c>0.0.0.0</c> for every interface.</param>
/// <param name="IsLocalOnly">Whether only processes on the same host can reach it (a loopback bind).</param>
/// <param name="Purpose">What it is for.</param>
/// <remarks>Immutable.</remarks>
public sealed record AgentListener(string Feature, PortRange Port, string BindAddress, bool IsLocalOnly, string Purpose);
