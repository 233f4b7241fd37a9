// Fixtures run beside each other, each one's tests one at a time, with four workers on CI's two cores: many fixtures
// wait on a real tool (terraform, cfn-lint, the AWS CLI and moto, az, python, a published build, fwrules in a
// namespace) whose process does the work, so the extra workers keep both cores busy while a tool starts or answers
// (with three, the accounted run at 3c3df4b used 78 % of the two cores over the test step).
//
// What makes that safe, and must stay so for a new fixture (or it says [NonParallelizable] and why):
// - no process-wide state: fwrules runs in-process on a console of its own (no Console redirection), and nothing sets
//   environment variables, the current directory or the culture (the one fixture that must is non-parallelizable);
// - every file, folder, network namespace, Kestrel port, moto VPC and Azure stand-in is a fixture's own (temporary
//   folders, random names, ports the kernel picks);
// - iptables-legacy, whose lock file is shared by all namespaces, is used by one fixture only, whose tests run in turn;
// - /dev/shm is shared by all namespaces too: each squid has a service name of its own, which names its shared memory
//   (SquidProcess);
// - the helpers one process serves for the whole run answer one caller at a time (the published-schema validator,
//   under its lock) or keep each caller's state apart (moto: each test creates its own VPC or groups);
// - the fixtures that sync an account (Aws/: fwrules sync -f aws-prefix-list|aws-sg, their faults, stops and campaign)
//   have a moto of their own ([OwnMotoServer]), so they run beside the rest instead of alone at the end of the run;
// - the commands that build from the repository's projects (the README's pack and the documentation site's build) take turns
//   (BuildCommand.RunOnRepositoryAsync).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
