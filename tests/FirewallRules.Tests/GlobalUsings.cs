global using NUnit.Framework;
// FsCheck properties: NUnit has its own [Property] (a test metadata attribute), so name FsCheck's explicitly.
global using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;
// What the tests share (Support/): the temporary folder, the fwrules runners, the agent the tests plan for.
global using FirewallRules.Tests.Support;
