import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointName } from '../../src/llm/chat.ts';

describe('endpointName', () => {
  it('names the endpoint without credentials, query or fragment', () => {
    assert.equal(endpointName('http://user:sk-secret@127.0.0.1:8080/v1/?api-key=sk-other#x'), 'http://127.0.0.1:8080/v1');
    assert.equal(endpointName(undefined), 'https://api.openai.com/v1');
    assert.equal(endpointName('not a url sk-secret'), 'the endpoint in OPENAI_BASE_URL');
  });
});
