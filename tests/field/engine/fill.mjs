// Fills an XForm in ODK's own engine (@getodk/xforms-engine, the engine of ODK Web Forms) and
// prints the submission XML it serialises.
//
//   node fill.mjs FORM.xml ANSWERS.json
//
// ANSWERS.json: {"question name": value, ...} or [["name", value], ...] (a list may answer a
// question twice, as a user changing their mind). Values: a string or number; a list of codes
// for a select_multiple; null clears. The answers are set in order through the engine's API, as
// a form UI does; answering a question the form does not show at that point (not relevant) is
// refused, as is an unknown name.
//
// stdout: the submission XML (the engine prepares it even when answers are missing or invalid).
// exit 0: the engine calls it ready. exit 2: it does not; stderr then holds one JSON line,
// {"status": ..., "violations": [{"question", "reference", "condition", "message"}]}.
// exit 1: the form or the answers could not be used (message on stderr).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { JSDOM } from 'jsdom';

// The engine runs in browsers and, as ODK tests it, in Node with jsdom's DOM.
const { window } = new JSDOM('');
for (const name of ['DOMParser', 'XMLSerializer', 'Node', 'Document', 'XMLDocument', 'Element',
  'Attr', 'NodeFilter', 'XPathResult', 'document']) {
  globalThis[name] ??= window[name];
}
// Its tree-sitter XPath parser (emscripten) expects CommonJS's __dirname under Node.
const require = createRequire(import.meta.url);
globalThis.__dirname ??= dirname(require.resolve('@getodk/xforms-engine'));
const { createInstance } = await import('@getodk/xforms-engine');

const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const nameOf = (node) => node.currentState.reference.split('/').pop();

function questions(node, found = new Map()) {
  for (const child of node.currentState.children ?? []) {
    if (child.nodeType === 'input' || child.nodeType === 'select') {
      found.set(nameOf(child), child);
    }
    questions(child, found);
  }
  return found;
}

function answer(node, value) {
  if (node.nodeType === 'select') {
    const offered = new Set(node.currentState.valueOptions.map((item) => item.value));
    const unknown = [value].flat().filter((code) => code !== null && !offered.has(String(code)));
    if (unknown.length) fail(`${JSON.stringify(nameOf(node))} offers no ${JSON.stringify(unknown)}`);
    if (Array.isArray(value)) {
      node.selectValues(value.map(String));
    } else {
      node.selectValue(value === null ? null : String(value));
    }
  } else {
    node.setValue(value === null ? '' : String(value));
  }
}

const [formPath, answersPath] = process.argv.slice(2);
if (!formPath || !answersPath) fail('usage: node fill.mjs FORM.xml ANSWERS.json');
let answers = JSON.parse(readFileSync(answersPath, 'utf8'));
if (!Array.isArray(answers)) answers = Object.entries(answers);

const { root } = await createInstance(readFileSync(formPath, 'utf8'));
const byName = questions(root);
for (const [name, value] of answers) {
  const node = byName.get(name);
  if (node === undefined) fail(`no question named ${JSON.stringify(name)} in the form`);
  if (!node.currentState.relevant) fail(`${JSON.stringify(name)} is not shown (not relevant)`);
  answer(node, value);
}

const payload = await root.prepareInstancePayload();
process.stdout.write(await payload.data[0].get('xml_submission_file').text());
if (payload.status !== 'ready') {
  const violations = (payload.violations ?? []).map((v) => ({
    question: v.reference.split('/').pop(),
    reference: v.reference,
    condition: v.violation?.condition ?? null,
    message: v.violation?.message?.asString ?? null,
  }));
  process.stderr.write(`${JSON.stringify({ status: payload.status, violations })}\n`);
  process.exit(2);
}
