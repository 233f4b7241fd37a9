namespace FirewallRules.Tests;

/// <summary>Stops the servers the cloud tests share (moto) once every test of the run has finished.</summary>
[SetUpFixture]
public sealed class CloudToolsLifetime
{
    [OneTimeTearDown]
    public void StopSharedServers() => Emitters.MotoServer.StopShared();
}
