namespace FirewallRules.Tests;

/// <summary>
/// Stops the processes the tests share (moto, the warm AWS CLI, the published-schemas validator) and deletes the README's pack once every
/// test of the run has finished. It is the one set-up fixture, at the root: a set-up fixture of a namespace runs that
/// namespace's fixtures one at a time, after the parallel ones.
/// </summary>
[SetUpFixture]
public sealed class SharedLifetime
{
    [OneTimeTearDown]
    public void StopSharedServers()
    {
        try
        {
            Emitters.AwsCli.StopShared();
            Emitters.MotoServer.StopShared();
            Emitters.PublishedSchemas.StopShared();
        }
        finally
        {
            Packaging.ReadmePack.DeleteShared();
        }
    }
}
