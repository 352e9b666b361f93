// Ensures config errors are one line naming the file, the JSON path, what was expected
// and what was found — and never echo a secret.
import { describe, expect, it } from 'vitest';
import { createConfigValidator, expandTemplate, isNetifydError, PluginConfigError } from '../src/index.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    message_qos: { type: 'integer', enum: [0, 1, 2], default: 1 },
    pass: { type: 'string' },
    channels: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: { url: { type: 'string' }, enable: { type: 'boolean' } },
      },
    },
  },
};

function messageOf(config: unknown): string {
  try {
    createConfigValidator(schema)(config, 'netify-sink-x.json');
  } catch (error) {
    expect(error).toBeInstanceOf(PluginConfigError);
    expect(isNetifydError(error)).toBe(true);
    expect((error as PluginConfigError).code).toBe('ERR_PLUGIN_CONFIG');
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('createConfigValidator', () => {
  it('returns the config with defaults filled in when valid', () => {
    expect(createConfigValidator<{ message_qos: number }>(schema)({}, 'f.json')).toEqual({ message_qos: 1 });
  });

  it('names file, path, allowed values and the value found', () => {
    expect(messageOf({ message_qos: 3 })).toBe('netify-sink-x.json: /message_qos must be one of 0, 1, 2 (got 3)');
    expect(messageOf({ channels: { a: { url: 5 } } })).toBe('netify-sink-x.json: /channels/a/url must be string (got 5)');
    expect(messageOf({ channels: { a: {} } })).toBe('netify-sink-x.json: /channels/a/url is required');
    expect(messageOf({ channels: { a: { url: 'x', enabel: true } } })).toBe('netify-sink-x.json: /channels/a/enabel is not a known key');
  });

  it('never shows the value of a secret key', () => {
    const message = messageOf({ pass: 12345678 });
    expect(message).toBe('netify-sink-x.json: /pass must be string');
    expect(message).not.toContain('12345678');
  });
});

describe('expandTemplate', () => {
  it('expands known variables and leaves unknown ones visible', () => {
    expect(expandTemplate('netify/${uuid_agent}/${channel}/${nope}', { uuid_agent: 'A1', channel: 'flows' })).toBe('netify/A1/flows/${nope}');
  });
});
