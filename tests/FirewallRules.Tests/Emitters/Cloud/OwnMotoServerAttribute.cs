using NUnit.Framework.Interfaces;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// A moto server of the fixture's own (<see cref="MotoServer.Current"/>), started when its first test asks for it and
/// stopped after its last test. A fixture that syncs an account through moto runs beside the others with it: moto's
/// state and its request threads serve that fixture alone, so no other fixture's calls share its server, and no
/// call of another fixture can meet one of its lists or groups half made.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class OwnMotoServerAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Suite;

    public void BeforeTest(ITest test)
    {
        if (test.TestType == "TestFixture" && test.ClassName is { } fixture)
        {
            MotoServer.Reserve(fixture);
        }
    }

    public void AfterTest(ITest test)
    {
        if (test.TestType == "TestFixture" && test.ClassName is { } fixture)
        {
            MotoServer.Release(fixture);
        }
    }
}
