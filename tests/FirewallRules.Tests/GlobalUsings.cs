global using NUnit.Framework;
// FsCheck properties: NUnit has its own [Property] (a test metadata attribute), so name FsCheck's explicitly.
global using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;
