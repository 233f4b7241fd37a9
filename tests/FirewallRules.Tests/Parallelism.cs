// Three workers for the parallel fixtures on CI's two cores: most of them wait on a real tool (terraform, cfn-lint, the
// AWS CLI and moto, az, python) whose process does the work, so a third keeps both cores busy while one tool starts.
[assembly: LevelOfParallelism(3)]
