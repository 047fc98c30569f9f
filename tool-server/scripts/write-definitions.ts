// Writes each platform's tool definitions from the server's own schemas:
//   npm run definitions [-- https://your-host]
// vapi/tools.json, retell/functions.json and elevenlabs/tools.json; with a
// host, the URLs in them point there (the committed files name an example).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { elevenLabsToolDefinitions } from '../src/definitions/elevenlabs';
import { EXAMPLE_HOST } from '../src/definitions/model-schema';
import { retellFunctionDefinitions } from '../src/definitions/retell';
import { vapiToolDefinitions } from '../src/definitions/vapi';

const host = (process.argv[2] ?? EXAMPLE_HOST).replace(/\/+$/, '');
const root = join(__dirname, '..', '..');
const files: [string, unknown][] = [
  ['vapi/tools.json', vapiToolDefinitions(`${host}/api/vapi/tool-calls`)],
  ['retell/functions.json', retellFunctionDefinitions(host)],
  ['elevenlabs/tools.json', elevenLabsToolDefinitions(host)],
];
for (const [file, definitions] of files) {
  const out = join(root, file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(definitions, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}
