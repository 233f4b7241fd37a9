namespace FirewallRules.Tests; public class PlaceholderTests { [NUnit.Framework.Test] public void A() => NUnit.Framework.Assert.That(1, NUnit.Framework.Is.EqualTo(1)); }
