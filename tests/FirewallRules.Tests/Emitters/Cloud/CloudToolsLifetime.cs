namespace FirewallRules.Tests;

/// <summary>Stops the processes the tests share (moto, the published-schemas validator) once every test of the run has finished.</summary>
[SetUpFixture]
public sealed class CloudToolsLifetime
{
    [OneTimeTearDown]
    public void StopSharedServers()
    {
        Emitters.MotoServer.StopShared();
        Emitters.PublishedSchemas.StopShared();
    }
}
