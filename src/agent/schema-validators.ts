/**
 * One JSON Schema validator provider for every in-process MCP client the agent opens. The SDK's
 * client compiles an Ajv validator for each tool's output schema on every `tools/list`; the agent
 * opens a client per exception, so without this each settlement recompiled ~25 schemas (a sixth of
 * the planner's CPU). Validators are memoised by the schema's JSON text: the tool list never
 * changes within a process, and a changed schema is simply a new key.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';
import { LRUCache } from 'lru-cache';

class MemoisedValidators implements jsonSchemaValidator {
  private readonly ajv = new AjvJsonSchemaValidator();
  private readonly compiled = new LRUCache<string, JsonSchemaValidator<unknown>>({ max: 500 });

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const key = JSON.stringify(schema);
    let validator = this.compiled.get(key);
    if (!validator) {
      validator = this.ajv.getValidator<unknown>(schema);
      this.compiled.set(key, validator);
    }
    return validator as JsonSchemaValidator<T>;
  }
}

/** The process-wide provider (pass as the MCP client's `jsonSchemaValidator`). */
export const sharedSchemaValidators: jsonSchemaValidator = new MemoisedValidators();
