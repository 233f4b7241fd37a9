namespace FirewallRules.Server;

/// <summary>A value given to <c>fwrules serve</c> (option, environment variable, configuration file) that cannot be used.</summary>
internal sealed class ServeConfigurationException(string message) : Exception(message);
