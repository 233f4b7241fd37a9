// Parses PowerShell scripts with tree-sitter-powershell (web-tree-sitter) and checks every NetSecurity cmdlet call
// against Microsoft's documented parameters (netsecurity-params.json): each parameter name (full, alias or unique
// prefix, case-insensitive), each literal value against the accepted values, and that one parameter set holds every
// parameter used with its mandatory ones. Hashtables splatted with @name are expanded when the script assigns them.
// Usage: node powershell-check.cjs NODE_MODULES PARAMS_JSON FILE...
// Prints "FILE: N calls checked, valid" or "FILE: N error(s)" and the errors; exits 1 if any file has an error.
'use strict';
// The grammar is a 1 MB WebAssembly module: V8's optimising tier would spend tens of seconds of CPU compiling it
// for a parse that takes a fraction of a second in the baseline tier.
require('v8').setFlagsFromString('--liftoff-only');
const fs = require('fs');
const path = require('path');

const [modules, paramsFile, ...files] = process.argv.slice(2);
const { Parser, Language } = require(path.join(modules, 'web-tree-sitter', 'tree-sitter.cjs'));
const table = JSON.parse(fs.readFileSync(paramsFile, 'utf8'));

function resolve(spec, raw) {
  const names = [...spec.params, ...table._common];
  const lower = raw.toLowerCase();
  const exact = names.find(p => p.toLowerCase() === lower);
  if (exact) return { name: exact };
  for (const [param, aliases] of Object.entries(spec.aliases || {})) {
    if (aliases.some(a => a.toLowerCase() === lower)) return { name: param };
  }
  const prefixed = names.filter(p => p.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return { name: prefixed[0] };
  return { error: prefixed.length > 1 ? 'ambiguous' : 'unknown' };
}

// The literal words a value holds: a bare word or a quoted string, split at commas; null for anything computed.
function literals(node) {
  if (node.type === 'generic_token') return node.text.split(',');
  const strings = node.descendantsOfType('string_literal');
  const computed = node.descendantsOfType(['variable', 'sub_expression', 'invokation_expression']);
  if (strings.length === 1 && computed.length === 0 && /^'[^']*'$/.test(strings[0].text)) {
    return strings[0].text.slice(1, -1).split(',');
  }
  return null;
}

// Hashtables the script assigns to a variable: name (lower case) -> their keys.
function splats(root) {
  const found = new Map();
  for (const assignment of root.descendantsOfType('assignment_expression')) {
    const target = assignment.namedChildren[0].text.trim();
    const hash = assignment.descendantsOfType('hash_literal_expression')[0];
    if (/^\$\w+$/.test(target) && hash) {
      found.set(target.slice(1).toLowerCase(), hash.descendantsOfType('key_expression').map(k => k.text.trim()));
    }
  }
  return found;
}

function checkCall(command, spec, hashes) {
  const errors = [];
  const used = new Map();
  const elements = command.childForFieldName('command_elements') || command.namedChildren.find(c => c.type === 'command_elements');
  const parts = elements ? elements.namedChildren.filter(c => c.type !== 'command_argument_sep' || c.text === ':') : [];
  const use = (raw, value) => {
    const found = resolve(spec, raw);
    if (found.error) {
      errors.push(`-${raw}: ${found.error} parameter`);
      return;
    }
    used.set(found.name, value);
    const accepted = (spec.values || {})[found.name];
    const words = value ? literals(value) : null;
    for (const word of accepted && words ? words : []) {
      if (!accepted.some(a => a.toLowerCase() === word.trim().toLowerCase())) {
        errors.push(`-${found.name} ${word}: not one of ${accepted.join(', ')}`);
      }
    }
  };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.type === 'command_parameter') {
      const raw = part.text.replace(/^-/, '').replace(/:$/, '');
      const joined = parts[i + 1] && parts[i + 1].type === 'command_argument_sep';
      const resolved = resolve(spec, raw);
      const isSwitch = resolved.name && (spec.types || {})[resolved.name] === 'SwitchParameter';
      let value = null;
      if (joined) {
        value = parts[i + 2];
        i += 2;
      } else if (!isSwitch && parts[i + 1] && parts[i + 1].type !== 'command_parameter' && !parts[i + 1].text.startsWith('@')) {
        value = parts[++i];
      }
      use(raw, value);
    } else if (/^@\w+$/.test(part.text.trim())) {
      const keys = hashes.get(part.text.trim().slice(1).toLowerCase());
      if (!keys) errors.push(`${part.text.trim()}: splats a variable the script does not assign a hashtable`);
      for (const key of keys || []) use(key, null);
    }
  }
  const mine = [...used.keys()].filter(p => spec.params.includes(p));
  const sets = spec.parameter_sets.filter(s => mine.every(p => s.parameters.includes(p)));
  if (sets.length === 0) {
    errors.push(`no parameter set takes all of ${mine.join(', ')}`);
  } else if (!sets.some(s => s.mandatory.every(m => used.has(m)))) {
    errors.push('missing mandatory parameter(s): ' + sets.map(s => s.mandatory.filter(m => !used.has(m)).join(', ')).join(' or '));
  }
  return errors;
}

(async () => {
  await Parser.init();
  const language = await Language.load(path.join(modules, 'tree-sitter-powershell', 'tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  let failed = false;
  for (const file of files) {
    const tree = parser.parse(fs.readFileSync(file, 'utf8'));
    const errors = [];
    for (const bad of tree.rootNode.descendantsOfType('ERROR')) {
      errors.push(`line ${bad.startPosition.row + 1}: syntax error at ${JSON.stringify(bad.text.slice(0, 40))}`);
    }
    if (tree.rootNode.hasError && errors.length === 0) errors.push('syntax error (a missing token)');
    const hashes = splats(tree.rootNode);
    let calls = 0;
    for (const command of tree.rootNode.descendantsOfType('command')) {
      const name = command.namedChildren.find(c => c.type === 'command_name');
      if (!name) continue;
      const spec = table[name.text];
      if (!spec) {
        if (/-NetFirewall/i.test(name.text)) errors.push(`line ${command.startPosition.row + 1}: ${name.text}: not a documented NetSecurity cmdlet`);
        continue;
      }
      calls++;
      for (const error of checkCall(command, spec, hashes)) errors.push(`line ${command.startPosition.row + 1}: ${name.text} ${error}`);
    }
    failed ||= errors.length > 0;
    console.log(errors.length === 0 ? `${file}: ${calls} calls checked, valid` : `${file}: ${errors.length} error(s)`);
    for (const error of errors) console.log(`  ${error}`);
  }
  process.exit(failed ? 1 : 0);
})().catch(error => {
  console.error(error);
  process.exit(2);
});
