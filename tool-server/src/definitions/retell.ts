// retell/functions.json: a custom function per tool, as a Retell LLM's
// general_tools list them, all calling POST /api/retell/functions with
// Retell's full payload (name, call, args), the key in a header.
import { RETELL_PATH } from '../routes/retell';
import { TOOLS } from '../tools/registry';
import { EXAMPLE_HOST, KEY_PLACEHOLDER, modelParameters, SAID_WHILE_RUNNING, TOOL_TIMEOUT_SECONDS } from './model-schema';

export function retellFunctionDefinitions(host: string = EXAMPLE_HOST): unknown[] {
  return TOOLS.map((tool) => {
    const said = SAID_WHILE_RUNNING[tool.name];
    return {
      type: 'custom',
      name: tool.name,
      description: tool.description,
      url: `${host}${RETELL_PATH}`,
      method: 'POST',
      headers: { Authorization: KEY_PLACEHOLDER },
      parameters: modelParameters(tool),
      speak_during_execution: said !== undefined,
      ...(said ? { execution_message_description: said } : {}),
      speak_after_execution: true,
      timeout_ms: TOOL_TIMEOUT_SECONDS * 1000,
    };
  });
}
