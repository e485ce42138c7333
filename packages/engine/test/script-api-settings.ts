interface TestApiSettings {
  network: 'none';
  stopGraceSeconds: number;
  signal: AbortSignal;
  tokenLifetimeSeconds: number;
  validateResponses: boolean;
}

/** The Script API settings the tests run with: no job network, quick stops, checked answers. */
export function testApiSettings(): TestApiSettings {
  return {
    network: 'none',
    stopGraceSeconds: 1,
    signal: new AbortController().signal,
    tokenLifetimeSeconds: 600,
    validateResponses: true,
  };
}
