// Writes vapi/tools.json from the server's own tool schemas:
//   npm run vapi:tools [-- https://your-host/api/vapi/tool-calls]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_SERVER_URL, vapiToolDefinitions } from '../src/vapi-tools';

const url = process.argv[2] ?? EXAMPLE_SERVER_URL;
const out = process.argv[3] ?? join(__dirname, '..', '..', 'vapi', 'tools.json');
writeFileSync(out, `${JSON.stringify(vapiToolDefinitions(url), null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
