// vapi/tools.json: a Function Tool per tool, all calling the tool-calls
// webhook (routes/webhook.ts).
import { TOOLS } from '../tools/registry';
import { EXAMPLE_HOST, modelParameters, SAID_WHILE_RUNNING, TOOL_TIMEOUT_SECONDS } from './model-schema';

export const EXAMPLE_SERVER_URL = `${EXAMPLE_HOST}/api/vapi/tool-calls`;

export function vapiToolDefinitions(serverUrl: string): unknown[] {
  return TOOLS.map((tool) => {
    const start = SAID_WHILE_RUNNING[tool.name];
    return {
      type: 'function',
      async: false,
      function: { name: tool.name, description: tool.description, parameters: modelParameters(tool) },
      server: { url: serverUrl, timeoutSeconds: TOOL_TIMEOUT_SECONDS },
      ...(start ? { messages: [{ type: 'request-start', content: start }] } : {}),
    };
  });
}
