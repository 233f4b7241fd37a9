// Parses Terraform files with HashiCorp's HCL parser (Go, compiled to WebAssembly) from @cdktf/hcl2json.
// Usage: node hcl2json.cjs NODE_MODULES FILE...   Prints a JSON array, one parse result per file; exits 1 on a syntax error.
// HashiCorp's parser is Go compiled to WebAssembly: V8's optimising tier would spend seconds of CPU compiling it for
// parses that take milliseconds in the baseline tier.
require('v8').setFlagsFromString('--liftoff-only');
const fs = require('fs');
const path = require('path');
const [modules, ...files] = process.argv.slice(2);
const { parse } = require(path.join(modules, '@cdktf', 'hcl2json'));
(async () => {
  const results = [];
  for (const file of files) {
    results.push(await parse(path.basename(file), fs.readFileSync(file, 'utf8')));
  }
  process.stdout.write(JSON.stringify(results));
})().catch(error => {
  process.stderr.write(String(error) + '\n');
  process.exit(1);
});
