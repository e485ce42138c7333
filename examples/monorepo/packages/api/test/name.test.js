import assert from 'node:assert/strict';
import test from 'node:test';
import { name } from '../index.js';

test('knows its name', () => {
  assert.equal(name(), 'api');
});
